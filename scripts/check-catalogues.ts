// Part of the client build: an incomplete or broken message catalogue fails it, naming each problem.
import { catalogueProblems } from '../shared/i18n/check';
import { CATALOGUE_FILES } from '../shared/i18n/server-catalogues';

const problems = catalogueProblems(CATALOGUE_FILES);
if (problems.length > 0) {
  process.stderr.write(`Message catalogues (shared/i18n/messages/) are not ready to ship:\n${problems.map((problem) => `  ${problem}`).join('\n')}\n`);
  process.exit(1);
}
