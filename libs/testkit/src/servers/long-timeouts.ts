// Integration and end-to-end tests talk to real servers; testTimeout is not a per-project
// option in Jest, so each of those projects sets it here.
jest.setTimeout(Number(process.env.HUB_TEST_TIMEOUT_MS ?? 180000));
