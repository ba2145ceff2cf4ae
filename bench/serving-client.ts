/**
 * Load client of the import-while-serving benchmark, in a process of its own so that its work
 * does not share the server's event loop: searches and 360 views, two at a time, until the server
 * says stop; then prints the latencies of each kind.
 */
const [base, cookie, idsJson] = process.argv.slice(2) as [string, string, string];
const ids = JSON.parse(idsJson) as string[];
const terms = ['张', 'wang', 'lx', '李', 'zh', '3101', '陈', 'liu'];
const latencies: Record<'search' | 'view', number[]> = { search: [], view: [] };
let stop = false;
let phase = 'idle';
const phases: Record<string, Record<'search' | 'view', number[]>> = {};
process.on('message', (m: { type: string; phase?: string }) => {
  if (m.type === 'phase') {
    phases[phase] = { search: [...latencies.search], view: [...latencies.view] };
    latencies.search.length = 0;
    latencies.view.length = 0;
    phase = m.phase!;
  }
  if (m.type === 'stop') stop = true;
});

async function lane(offset: number): Promise<void> {
  for (let i = offset; !stop; i += 2) {
    const kind = i % 2 === 0 ? 'search' : 'view';
    const url =
      kind === 'search'
        ? `${base}/api/residents?q=${encodeURIComponent(terms[i % terms.length]!)}&pageSize=20`
        : `${base}/api/residents/${ids[i % ids.length]}`;
    const started = performance.now();
    const res = await fetch(url, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    latencies[kind].push(performance.now() - started);
    // A person's pace, not a flood: about 50 requests a second from two lanes.
    await new Promise((r) => setTimeout(r, 40));
  }
}

await Promise.all([lane(0), lane(1)]);
phases[phase] = { search: latencies.search, view: latencies.view };
process.send!({ type: 'result', phases });
