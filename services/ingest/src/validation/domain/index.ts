// Pure validators and normalisers for partner data: each takes the raw text and returns the
// normalised value or a stable reason code.
export * from './checked';
export * from './reason-codes';
export * from './nhs-number';
export * from './upn';
export * from './ni-number';
export * from './pnc-id';
export * from './uprn';
export * from './postcode';
export * from './calendar-date';
export * from './person-name';
export * from './sex';
export * from './email';
export * from './phone';
export * from './text';
