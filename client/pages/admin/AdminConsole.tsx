// `/admin`: the console for site administrators. The server refuses every call behind it to anyone else.
import { useTitle } from '../../components/Form';
import { useT } from '../../i18n';
import { Operations } from './Operations';
import { People } from './People';
import { Registration } from './Registration';

export function AdminConsole() {
  const t = useT();
  useTitle(t.t('admin.title'));
  return (
    <div class="page page-wide admin-console">
      <h1 class="page-title">{t.t('admin.title')}</h1>
      <p class="page-intro">{t.t('admin.intro')}</p>
      <People />
      <Registration />
      <Operations />
    </div>
  );
}
