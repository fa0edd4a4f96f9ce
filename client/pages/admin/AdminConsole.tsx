// `/admin`: the console for site administrators. The server refuses every call behind it to anyone else.
import { useTitle } from '../../components/Form';
import { Operations } from './Operations';
import { People } from './People';
import { Registration } from './Registration';

export function AdminConsole() {
  useTitle('Administration');
  return (
    <div class="page page-wide admin-console">
      <h1 class="page-title">Administration</h1>
      <p class="page-intro">Every change made here is recorded in the audit log with your name.</p>
      <People />
      <Registration />
      <Operations />
    </div>
  );
}
