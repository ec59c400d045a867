// Keeps the deployment files (Dockerfile, docker-compose.yml, deploy/k8s) in step with the
// code: every service is deployed, on the port the stack uses, with settings the config
// schema knows. These files cannot be exercised on machines without a container engine,
// so this is what catches a renamed setting, a new service or a forgotten manifest.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { serviceConfigSchema } from '../libs/platform/src/config/load-config';
import { ingestConfigSchema } from '../services/ingest/src/ingest.config';
import { mdmConfigSchema } from '../services/mdm/src/mdm.config';
import { portalConfigSchema } from '../services/portal-api/src/portal.config';

const root = join(__dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
// Parsed YAML is untyped; the assertions below are what check its shape.
type Obj = Record<string, any>;

/** Environment variables a hub container may set beyond the config schema. */
const EXTRA_ENV = new Set([
  'SERVICE', // deploy/docker/entrypoint.mjs: which services/<name>/dist/main.js to run
  'NODE_ENV', // read by node libraries (production mode)
  'KAFKAJS_NO_PARTITIONER_WARNING', // silences kafkajs' start-up notice, as scripts/stack.mjs does
  'NODE_OPTIONS', // V8's heap limit, sized with the container's memory limit
]);
const KNOWN_ENV = new Set([...Object.keys(serviceConfigSchema.shape), ...EXTRA_ENV]);
/** A service's own settings, beyond the platform's. */
const SERVICE_SCHEMAS: Record<string, { shape: object }> = { ingest: ingestConfigSchema, mdm: mdmConfigSchema, 'portal-api': portalConfigSchema };
const knownFor = (service: string) => new Set([...KNOWN_ENV, ...Object.keys(SERVICE_SCHEMAS[service]?.shape ?? {})]);
/** Settings a service cannot start without (required in its schema, no default). */
const requiredOf = (service: string) =>
  Object.entries((SERVICE_SCHEMAS[service]?.shape ?? {}) as Record<string, { safeParse(v: unknown): { success: boolean } }>)
    .filter(([key, schema]) => !(key in serviceConfigSchema.shape) && !schema.safeParse(undefined).success)
    .map(([key]) => key);

/** Files in deploy/k8s that are documentation for operators, not resources to apply. */
const NOT_APPLIED = new Set(['kustomization.yaml', 'secret.template.yaml']);

const serviceDirs = readdirSync(join(root, 'services'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, 'services', entry.name, 'package.json')))
  .map((entry) => entry.name)
  .sort();

/** The services as the stack runs them: name -> port, and name -> flags on node's command line. */
const stackServices = JSON.parse(read('scripts/lib/services.json')) as { name: string; port: number; nodeArgs?: string[] }[];
const stackPorts = new Map(stackServices.map((service) => [service.name, service.port]));
const stackNodeArgs = new Map(stackServices.map((service) => [service.name, service.nodeArgs ?? []]));

function envNames(env: unknown): Map<string, string | undefined> {
  if (Array.isArray(env)) {
    return new Map(env.map((item: string) => [item.split('=')[0], item.includes('=') ? item.slice(item.indexOf('=') + 1) : undefined]));
  }
  return new Map(Object.entries((env ?? {}) as Obj).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : /\.ya?ml$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

describe('scripts/lib/services.json', () => {
  it('lists every service directory', () => {
    expect([...stackPorts.keys()].sort()).toEqual(serviceDirs);
    expect(serviceDirs.length).toBeGreaterThan(0);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as Obj;
  const services = compose.services as Record<string, Obj>;

  it('has a service for every services/ directory, with the port, name and settings the stack uses', () => {
    for (const name of serviceDirs) {
      const service = services[name];
      expect({ name, defined: Boolean(service) }).toEqual({ name, defined: true });
      const env = envNames(service.environment);
      const port = stackPorts.get(name);
      expect({ name, SERVICE_NAME: env.get('SERVICE_NAME'), HTTP_PORT: env.get('HTTP_PORT'), HTTP_HOST: env.get('HTTP_HOST') }).toEqual({
        name, SERVICE_NAME: name, HTTP_PORT: String(port), HTTP_HOST: '0.0.0.0',
      });
      expect({ name, ports: service.ports }).toEqual({ name, ports: [`127.0.0.1:${port}:${port}`] });
      expect({ name, healthcheck: Boolean(service.healthcheck?.test) }).toEqual({ name, healthcheck: true });
    }
  });

  it('sets only environment variables the config schema knows on hub containers', () => {
    const hubImage = services[serviceDirs[0]].image;
    for (const [name, service] of Object.entries(services)) {
      if (service.image !== hubImage) continue; // kafka, postgres, redis: their own images' settings
      for (const key of envNames(service.environment).keys()) {
        expect({ service: name, key, known: knownFor(name).has(key) }).toEqual({ service: name, key, known: true });
      }
    }
  });

  it('gives every service the settings it cannot start without', () => {
    for (const name of serviceDirs) {
      const env = envNames(services[name].environment);
      for (const key of requiredOf(name)) expect({ service: name, key, set: env.has(key) }).toEqual({ service: name, key, set: true });
    }
  });

  it('depends only on services that exist, with conditions compose knows', () => {
    const conditions = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
    for (const [name, service] of Object.entries(services)) {
      const dependsOn = service.depends_on ?? {};
      const entries: [string, Obj][] = Array.isArray(dependsOn) ? dependsOn.map((d: string) => [d, {}]) : Object.entries(dependsOn);
      for (const [target, spec] of entries) {
        expect({ service: name, target, exists: target in services }).toEqual({ service: name, target, exists: true });
        if (spec.condition) expect(conditions).toContain(spec.condition);
        if (spec.condition === 'service_healthy') {
          expect({ target, healthcheck: Boolean(services[target].healthcheck?.test) }).toEqual({ target, healthcheck: true });
        }
      }
    }
  });

  it('publishes ports on 127.0.0.1 only', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) expect({ service: name, port: String(port).startsWith('127.0.0.1:') }).toEqual({ service: name, port: true });
    }
  });
});

describe('deploy/k8s', () => {
  const dir = join(root, 'deploy', 'k8s');
  const files = walk(dir).map((file) => relative(dir, file).split('\\').join('/')).sort();
  const docs = files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      return { file, body: doc.toJS() as Obj };
    }),
  ).filter((doc) => doc.body);
  const ofKind = (kind: string) => docs.filter((doc) => doc.body.kind === kind).map((doc) => doc.body);
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Obj;
  const configMaps = new Map(ofKind('ConfigMap').map((cm) => [cm.metadata.name as string, cm.data as Record<string, string>]));
  const secretTemplate = ofKind('Secret')[0];
  const podSpecs = [
    ...ofKind('Deployment').map((d) => ({ name: d.metadata.name as string, spec: d.spec.template.spec as Obj, meta: d.spec.template.metadata as Obj })),
    ...ofKind('Job').map((j) => ({ name: j.metadata.name as string, spec: j.spec.template.spec as Obj, meta: j.spec.template.metadata as Obj })),
  ];

  it('has a kustomization listing every manifest in the folder (the Secret template excepted)', () => {
    const listed = [...(kustomization.resources as string[])].sort();
    expect(listed).toEqual(files.filter((file) => !NOT_APPLIED.has(file)));
    expect(listed).not.toContain('secret.template.yaml');
  });

  it('keeps the Secret a template: key names only, no values', () => {
    expect(secretTemplate?.metadata?.name).toBeDefined();
    const values = { ...(secretTemplate.data ?? {}), ...(secretTemplate.stringData ?? {}) };
    expect(Object.keys(values).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(values)) expect({ key, value: value ?? null }).toEqual({ key, value: null });
  });

  it('has a Deployment and a Service for every services/ directory, on the stack port', () => {
    for (const name of serviceDirs) {
      const deployment = ofKind('Deployment').find((d) => d.metadata.name === name);
      const service = ofKind('Service').find((s) => s.metadata.name === name);
      expect({ name, deployment: Boolean(deployment), service: Boolean(service) }).toEqual({ name, deployment: true, service: true });
      const port = stackPorts.get(name);
      const container = deployment!.spec.template.spec.containers[0];
      const env = new Map((container.env as Obj[]).map((e) => [e.name as string, e.value as string | undefined]));
      expect({ name, SERVICE_NAME: env.get('SERVICE_NAME'), HTTP_PORT: env.get('HTTP_PORT'), containerPort: container.ports[0].containerPort, servicePort: service!.spec.ports[0].port }).toEqual({
        name, SERVICE_NAME: name, HTTP_PORT: String(port), containerPort: port, servicePort: port,
      });
      expect(deployment!.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' });
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    }
  });

  it('sets only environment variables the config schema knows, from ConfigMaps and Secret keys that exist', () => {
    for (const { name, spec } of podSpecs) {
      for (const container of spec.containers as Obj[]) {
        const keys: string[] = [];
        for (const e of (container.env ?? []) as Obj[]) {
          keys.push(e.name);
          const ref = e.valueFrom?.secretKeyRef;
          if (ref) {
            expect({ name, secret: ref.name, key: ref.key }).toEqual({ name, secret: secretTemplate.metadata.name, key: ref.key });
            expect(Object.keys({ ...secretTemplate.data, ...secretTemplate.stringData })).toContain(ref.key);
          }
        }
        for (const source of (container.envFrom ?? []) as Obj[]) {
          const data = configMaps.get(source.configMapRef?.name);
          expect({ name, configMap: source.configMapRef?.name, exists: Boolean(data) }).toEqual({ name, configMap: source.configMapRef?.name, exists: true });
          keys.push(...Object.keys(data!));
        }
        for (const key of keys) expect({ workload: name, key, known: knownFor(name).has(key) }).toEqual({ workload: name, key, known: true });
        if (serviceDirs.includes(name)) for (const key of requiredOf(name)) expect({ workload: name, key, set: keys.includes(key) }).toEqual({ workload: name, key, set: true });
      }
    }
  });

  it('runs every pod non-root, read-only, without capabilities, with resources, and outlasting SHUTDOWN_TIMEOUT_MS', () => {
    const shutdownMs = Number(configMaps.get('data-hub-config')?.SHUTDOWN_TIMEOUT_MS ?? serviceConfigSchema.shape.SHUTDOWN_TIMEOUT_MS.parse(undefined));
    for (const { name, spec } of podSpecs) {
      for (const container of spec.containers as Obj[]) {
        const sc = container.securityContext ?? {};
        expect({ name, runAsNonRoot: sc.runAsNonRoot ?? spec.securityContext?.runAsNonRoot, readOnlyRootFilesystem: sc.readOnlyRootFilesystem, drop: sc.capabilities?.drop }).toEqual({
          name, runAsNonRoot: true, readOnlyRootFilesystem: true, drop: ['ALL'],
        });
        expect({ name, requests: Boolean(container.resources?.requests), limits: Boolean(container.resources?.limits) }).toEqual({ name, requests: true, limits: true });
      }
      if (ofKind('Deployment').some((d) => d.metadata.name === name)) {
        expect({ name, grace: (spec.terminationGracePeriodSeconds ?? 30) * 1000 > shutdownMs }).toEqual({ name, grace: true });
      }
    }
  });

  it('lets only ingest and portal-api be reached from outside the namespace', () => {
    const policies = ofKind('NetworkPolicy');
    const labelsOf = (name: string) => ofKind('Deployment').find((d) => d.metadata.name === name)!.spec.template.metadata.labels as Record<string, string>;
    const selects = (selector: Obj, labels: Record<string, string>) =>
      Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
      ((selector.matchExpressions ?? []) as Obj[]).every((e) =>
        e.operator === 'In' ? e.values.includes(labels[e.key]) : e.operator === 'NotIn' ? !e.values.includes(labels[e.key]) : e.operator === 'Exists' ? e.key in labels : !(e.key in labels),
      );
    // Every pod is isolated for ingress by some policy...
    for (const name of serviceDirs) {
      expect({ name, isolated: policies.some((p) => p.spec.policyTypes.includes('Ingress') && selects(p.spec.podSelector, labelsOf(name))) }).toEqual({ name, isolated: true });
    }
    // ...and only these are opened to sources outside the namespace.
    const external = (rule: Obj) => !rule.from || (rule.from as Obj[]).some((peer) => peer.namespaceSelector || peer.ipBlock);
    const reachable = serviceDirs.filter((name) => policies.some((p) => selects(p.spec.podSelector, labelsOf(name)) && ((p.spec.ingress ?? []) as Obj[]).some(external)));
    expect(reachable.sort()).toEqual(['ingest', 'portal-api']);
  });

  it("keeps each service's V8 heap limit within its container's memory limit, with room to spare", () => {
    const mebibytes = (quantity: string) => {
      const m = /^(\d+)(Mi|Gi)$/.exec(quantity);
      if (!m) throw new Error(`memory quantity ${quantity} is not in Mi or Gi`);
      return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
    };
    const sized: string[] = [];
    for (const { name, spec } of podSpecs) {
      for (const container of spec.containers as Obj[]) {
        const options = ((container.env ?? []) as Obj[]).find((e) => e.name === 'NODE_OPTIONS')?.value as string | undefined;
        const heap = options ? /--max-old-space-size=(\d+)/.exec(options) : null;
        if (!heap) continue;
        sized.push(name);
        const limit = mebibytes(container.resources.limits.memory);
        expect({ name, heapMiB: Number(heap[1]), withinFourFifths: Number(heap[1]) <= 0.8 * limit }).toEqual({ name, heapMiB: Number(heap[1]), withinFourFifths: true });
      }
    }
    // mdm holds every master and its index in memory: its heap must be sized, not V8's default
    expect(sized).toContain('mdm');
  });

  it('keeps mdm available through voluntary disruptions', () => {
    const pdb = ofKind('PodDisruptionBudget').find((p) => p.spec.selector.matchLabels?.['app.kubernetes.io/name'] === 'mdm');
    expect(pdb).toBeDefined();
    const mdm = ofKind('Deployment').find((d) => d.metadata.name === 'mdm')!;
    expect(mdm.spec.replicas).toBeGreaterThan(pdb!.spec.minAvailable ?? 0);
  });

  it('has a Job that creates the topics', () => {
    const commands = ofKind('Job').map((job) => (job.spec.template.spec.containers[0].command as string[]).join(' '));
    expect(commands.some((command) => /topics\.js create$/.test(command))).toBe(true);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const entrypoint = JSON.parse(/^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1] ?? 'null') as string[] | null;
  const script = entrypoint?.find((arg) => arg.endsWith('.mjs'));

  it("gives each service node's flags from scripts/lib/services.json wherever it is started, and the image's entrypoint otherwise", () => {
    expect(stackNodeArgs.get('mdm')).toEqual(expect.arrayContaining(['--no-memory-reducer', '--max-semi-space-size=64', '--no-allocation-site-pretenuring']));
    const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Obj> };
    const manifests = walk(join(root, 'deploy', 'k8s')).flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJS() as Obj));
    for (const name of serviceDirs) {
      const nodeArgs = stackNodeArgs.get(name) ?? [];
      // the image's entrypoint, with the service's flags right after `node`
      const expected = nodeArgs.length === 0 ? undefined : [...entrypoint!.slice(0, entrypoint!.indexOf('node') + 1), ...nodeArgs, ...entrypoint!.slice(entrypoint!.indexOf('node') + 1)];
      const deployment = manifests.find((m) => m?.kind === 'Deployment' && m.metadata.name === name);
      expect({ name, k8s: deployment?.spec.template.spec.containers[0].command, compose: compose.services[name]?.entrypoint }).toEqual({ name, k8s: expected, compose: expected });
    }
    expect(read('scripts/stack.mjs')).toMatch(/spawn\(process\.execPath, \[\.\.\.\(service\.nodeArgs \?\? \[\]\)/);
  });

  it('starts services/<name>/dist/main.js through the entrypoint script it copies in', () => {
    expect(script).toBeDefined();
    expect(dockerfile).toContain(script!);
    expect(read(script!)).toMatch(/services\/\$\{\w+\}\/dist\/main\.js/);
    // Which is where every service's build puts its entry point.
    for (const name of serviceDirs) {
      const tsconfig = JSON.parse(read(`services/${name}/tsconfig.json`)) as Obj;
      expect({ name, main: JSON.parse(read(`services/${name}/package.json`)).main, outDir: tsconfig.compilerOptions.outDir, rootDir: tsconfig.compilerOptions.rootDir, source: existsSync(join(root, 'services', name, 'src', 'main.ts')) }).toEqual({
        name, main: 'dist/main.js', outDir: 'dist', rootDir: 'src', source: true,
      });
    }
  });

  it('copies every workspace package.json before npm ci (npm ci fails without them)', () => {
    const workspaces = ['libs', 'services'].flatMap((parent) =>
      readdirSync(join(root, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(root, parent, entry.name, 'package.json')))
        .map((entry) => `${parent}/${entry.name}/package.json`),
    );
    for (const file of workspaces) expect(dockerfile).toMatch(new RegExp(`^COPY ${file.replace(/[.]/g, '\\.')} `, 'm'));
  });

  it('runs as node, listens on all interfaces and checks /health/live', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/HTTP_HOST=0\.0\.0\.0/);
    const healthcheck = /^HEALTHCHECK[\s\S]*?CMD\s+(\[.*\])/m.exec(dockerfile)?.[1];
    const healthScript = (JSON.parse(healthcheck ?? '[]') as string[]).find((arg) => arg.endsWith('.mjs'));
    expect(read(healthScript!)).toContain('/health/live');
  });

  it('entrypoint refuses an unknown service and names the known ones', () => {
    const run = spawnSync(process.execPath, [join(root, script!)], { env: { ...process.env, SERVICE: 'no-such-service' }, encoding: 'utf8' });
    expect(run.status).toBe(64);
    for (const name of serviceDirs) expect(run.stderr).toContain(name);
  });
});

describe('.dockerignore', () => {
  it('keeps host builds, dependencies and secrets out of the build context', () => {
    const lines = read('.dockerignore').split('\n').map((line) => line.trim());
    for (const entry of ['node_modules', 'dist', '.cache', '.run', '.nx', 'coverage', '.git', '.env', '**/*.tsbuildinfo']) expect(lines).toContain(entry);
  });
});
