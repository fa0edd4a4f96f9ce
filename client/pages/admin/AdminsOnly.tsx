// What everyone but an admin sees at `/admin` (the same gate as the moderators' pages).
import { useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';

export function AdminsOnly() {
  useTitle('Administrators only');
  return (
    <div class="page page-narrow">
      <div class="card form gate">
        <span class="state-icon">
          <Icon name="shield" />
        </span>
        <h1>Administrators only</h1>
        <p>This part of the forum is for the site’s administrators.</p>
        <a class="button" href="/home">
          Back to your feed
        </a>
      </div>
    </div>
  );
}
