import { socketPool, fetchChecked } from './load';
const m = require('./.data/small/manifest.json');
(async () => {
  const url = process.argv[2]!;
  const auth = { authorization: `Bearer ${m.persona.token}` };
  const pool = socketPool(url, m.tokens.map((t: any) => t.token), `group:${m.persona.writeGroupId}`);
  await pool.grow(1000);
  console.log('connected');
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await fetchChecked(`${url}/api/posts/${m.likeTargets[i]}/like`, { method: 'PUT', headers: { authorization: `Bearer ${m.tokens[i + 10].token}` } });
    console.log('like', (performance.now() - t0).toFixed(1));
  }
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await fetchChecked(`${url}/api/groups/${m.persona.writeGroupId}/posts`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"body":"<p>x</p>"}', expect: 201 });
    console.log('post', (performance.now() - t0).toFixed(1));
  }
  pool.close();
  process.exit(0);
})();
