import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Health } from '../shared/api';

function App() {
  const [health, setHealth] = useState<Health | null>(null);
  useEffect(() => {
    fetch('/api/health')
      .then((response) => response.json() as Promise<Health>)
      .then(setHealth, () => setHealth(null));
  }, []);
  return (
    <main>
      <h1>Member forum</h1>
      <p>{health ? `Server is up (${health.db} database).` : 'Connecting…'}</p>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
