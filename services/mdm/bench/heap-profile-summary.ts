// What a sampling heap profile says was allocated, by function (as written by
// `npm run bench:mdm -- --heap-sample <file>`, which keeps only allocations that outlived a
// young collection):
//
//   node scripts/run-ts.mjs services/mdm/bench/heap-profile-summary.ts <file.heapprofile> [--top 30] [--stacks <text>]
//
// --stacks lists the allocating stacks (innermost frames first) of the functions whose name
// or file contains <text>, largest first.
//
// Prints the sampled bytes by allocating function (self), and by the nearest function of the
// hub's own code on the allocation's stack (so that an allocation inside a library is charged
// to the hub code that asked for it), as shares of all sampled bytes.
import { readFileSync } from 'node:fs';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

const HUB_CODE = /\/(services|libs)\/[^/]+\/(src|dist)\//;

function frameName(frame: HeapNode['callFrame']): string {
  const where = frame.url ? ` ${frame.url.replace(/^.*\/(node_modules|services|libs)\//, '$1/')}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where}`;
}

function main(): void {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: heap-profile-summary.ts <file.heapprofile> [--top N] [--stacks <text>]');
  const top = rest.includes('--top') ? Number(rest[rest.indexOf('--top') + 1]) : 30;
  const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode };
  const bySelf = new Map<string, number>();
  const byHubFrame = new Map<string, number>();
  const stacksOf = rest.includes('--stacks') ? rest[rest.indexOf('--stacks') + 1] : undefined;
  const byStack = new Map<string, number>();
  const path: string[] = [];
  let total = 0;
  const visit = (node: HeapNode, hubFrame: string | undefined) => {
    const name = frameName(node.callFrame);
    const hub = HUB_CODE.test(node.callFrame.url) ? name : hubFrame;
    path.push(name);
    if (stacksOf && node.selfSize > 0 && name.includes(stacksOf)) {
      const stack = path.slice(-12).reverse().join('\n      <- ');
      byStack.set(stack, (byStack.get(stack) ?? 0) + node.selfSize);
    }
    if (node.selfSize > 0) {
      total += node.selfSize;
      bySelf.set(name, (bySelf.get(name) ?? 0) + node.selfSize);
      const charged = hub ?? '(no hub frame)';
      byHubFrame.set(charged, (byHubFrame.get(charged) ?? 0) + node.selfSize);
    }
    for (const child of node.children) visit(child, hub);
    path.pop();
  };
  visit(head, undefined);
  const print = (title: string, map: Map<string, number>) => {
    process.stdout.write(`\n${title}\n`);
    for (const [name, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${(bytes / 1048576).toFixed(1).padStart(9)} MiB ${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${name}\n`);
    }
  };
  process.stdout.write(`sampled bytes that outlived a young collection: ${(total / 1048576).toFixed(1)} MiB\n`);
  print('by allocating function (self)', bySelf);
  print("by the nearest hub function on the allocation's stack", byHubFrame);
  if (stacksOf) print(`stacks of ${stacksOf}`, byStack);
}

// piped into head: stop quietly when the reader has had enough
process.stdout.on('error', () => process.exit(0));
main();
