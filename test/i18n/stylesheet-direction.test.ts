// The layout mirrors right-to-left only if the stylesheet never names a physical side: every margin,
// padding, border, position and alignment is written with logical properties (inline-start/end).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const STYLESHEET = path.join(__dirname, '../../client/styles.css');

/** Declarations that fix a side of the page instead of a side of the text. */
const PHYSICAL = [
  /(^|[\s;{])(left|right)\s*:/,
  /\b(margin|padding|border|inset|scroll-margin|scroll-padding)-(left|right)\b/,
  /\bborder-(top|bottom)-(left|right)-radius\b/,
  /\b(text-align|float|clear|caption-side)\s*:\s*(left|right)\b/,
  /\btranslateX\(/,
];

function declarations(css: string): { line: number; text: string }[] {
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  return withoutComments.split('\n').map((text, index) => ({ line: index + 1, text }));
}

describe('the stylesheet mirrors right-to-left', () => {
  it('uses logical properties only: no left/right margins, paddings, borders, positions, alignment or horizontal shifts', () => {
    const offending = declarations(readFileSync(STYLESHEET, 'utf8')).filter(({ text }) => PHYSICAL.some((pattern) => pattern.test(text)));
    expect(offending.map(({ line, text }) => `styles.css:${line}: ${text.trim()}`)).to.deep.equal([]);
  });

  it('the check catches each physical form it names', () => {
    const samples = ['  margin-left: 1rem;', '  padding-right: 0;', '  left: 0;', 'a{right:0}', '  border-left: 1px solid;', '  text-align: right;', '  float: left;', '  border-top-left-radius: 2px;', '  transform: translateX(2px);'];
    for (const sample of samples) expect(PHYSICAL.some((pattern) => pattern.test(sample)), sample).to.equal(true);
    for (const fine of ['  margin-inline-start: 1rem;', '  inset-inline: 0;', '  text-align: start;', '  border-inline-start: 3px solid;']) {
      expect(PHYSICAL.some((pattern) => pattern.test(fine)), fine).to.equal(false);
    }
  });
});
