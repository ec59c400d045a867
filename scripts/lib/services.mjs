// The hub's services as the stack runs them: where they listen and what each needs.
export const services = [
  { name: 'ingest', port: 3001 },
  { name: 'mdm', port: 3002 },
  { name: 'grouping', port: 3003 },
  { name: 'scoring', port: 3004 },
  { name: 'alerts', port: 3005 },
  { name: 'portal-api', port: 3000 },
];
