// The post-body sanitiser on its own: the contract's allow-list and nothing else survives.
import { expect } from 'chai';
import { sanitizeBody } from '../../server/services/post-body';

describe('post body sanitiser', () => {
  const body = (input: string) => sanitizeBody(input).body;

  it('keeps exactly the allowed tags', () => {
    const allowed = '<p>a<br />b <strong>s</strong> <em>e</em> <code>c</code></p><ul><li>u</li></ul><ol><li>o</li></ol><blockquote>q</blockquote><pre>p</pre>';
    expect(body(allowed)).to.equal(allowed);
  });

  it('drops other tags but keeps their text, and drops script, style and embedded content with their contents', () => {
    expect(body('<div><span>kept</span></div><h1>title</h1>')).to.equal('kepttitle');
    expect(body('<script>x()</script><style>p{}</style><iframe>f</iframe><svg><script>y()</script></svg><template>t</template>ok')).to.equal('ok');
    expect(body('<scr<script>ipt>alert(1)</script>')).not.to.match(/<script/i);
  });

  it('strips every attribute except href on links, and every event handler and style', () => {
    expect(body('<p class="c" id="i" style="x" onmouseover="y()" data-x="1">t</p>')).to.equal('<p>t</p>');
    expect(body('<a href="https://e.org" onclick="y()" style="x" title="t">l</a>')).to.equal('<a href="https://e.org" rel="nofollow noopener noreferrer">l</a>');
  });

  it('allows http, https and mailto links only, however the scheme is disguised', () => {
    for (const href of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'java&#x09;script:alert(1)', ' javascript:alert(1)', 'vbscript:x', 'data:text/html,x', '//evil.example/x', 'file:///etc/passwd']) {
      expect(body(`<a href="${href}">l</a>`), href).to.equal('<a rel="nofollow noopener noreferrer">l</a>');
    }
    expect(body('<a href="http://e.org/a?b=c&amp;d=e">l</a>')).to.equal('<a href="http://e.org/a?b=c&amp;d=e" rel="nofollow noopener noreferrer">l</a>');
    expect(body('<a href="mailto:x@e.org">m</a>')).to.include('href="mailto:x@e.org"');
  });

  it('escapes text so it cannot become markup', () => {
    expect(body('1 < 2 &amp; 3 > 2 "quoted"')).to.equal('1 &lt; 2 &amp; 3 &gt; 2 "quoted"');
  });

  it('derives plain text with line breaks between blocks', () => {
    expect(sanitizeBody('<p>one</p><p>two<br>three</p><ul><li>a</li><li>b</li></ul>').bodyText).to.equal('one\ntwo\nthree\na\nb');
    expect(sanitizeBody('<p>&lt;b&gt; &amp; &quot;</p>').bodyText).to.equal('<b> & "');
  });
});
