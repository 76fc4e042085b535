/**
 * The default pages' stylesheet, inlined under the Content-Security-Policy nonce so that the page
 * needs no other request and no `'unsafe-inline'`. Contrast meets WCAG AA in both colour schemes,
 * and keyboard focus is always visible.
 */
export const PAGE_STYLESHEET = `
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1d2330;--muted:#596173;--line:#d9dce3;--accent:#2454d6;--accent-text:#fff;--danger-bg:#fdecec;--danger:#a3191f;--focus:#2454d6}
@media (prefers-color-scheme:dark){:root{--bg:#12151b;--card:#1c212b;--text:#e8ebf1;--muted:#a7afbf;--line:#343b49;--accent:#6f95ff;--accent-text:#0b1020;--danger-bg:#3a1d20;--danger:#ffb4b4;--focus:#8fb0ff}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{width:100%;max-width:28rem;margin:8vh 1rem 2rem;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:2rem;box-shadow:0 1px 2px rgba(16,24,40,.06),0 8px 24px rgba(16,24,40,.08)}
h1{font-size:1.35rem;line-height:1.3;margin:0 0 .35rem}
.lead{color:var(--muted);margin:0 0 1.5rem}
.client{font-weight:600;color:var(--text)}
label{display:block;font-weight:600;font-size:.9rem;margin:1rem 0 .35rem}
input[type=text],input[type=password]{display:block;width:100%;padding:.6rem .75rem;font:inherit;color:inherit;background:var(--card);border:1px solid var(--line);border-radius:8px}
input:focus-visible,button:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
fieldset{border:1px solid var(--line);border-radius:8px;margin:1.5rem 0 0;padding:.75rem 1rem}
legend{font-weight:600;font-size:.9rem;padding:0 .35rem}
ul.scopes{list-style:none;margin:0;padding:0}
ul.scopes li{padding:.45rem 0 .45rem 1.6rem;position:relative;border-top:1px solid var(--line)}
ul.scopes li:first-child{border-top:0}
ul.scopes li::before{content:"";position:absolute;left:.2rem;top:.95rem;width:.55rem;height:.3rem;border-left:2px solid var(--accent);border-bottom:2px solid var(--accent);transform:rotate(-45deg)}
.scope-name{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem;color:var(--muted);display:block}
.resources-lead{font-weight:600;font-size:.9rem;margin:.75rem 0 .25rem}
ul.resources .scope-name{overflow-wrap:anywhere}
.return{color:var(--muted);font-size:.875rem;margin:1rem 0 0;overflow-wrap:anywhere}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{flex:1;font:inherit;font-weight:600;padding:.65rem 1rem;border-radius:8px;cursor:pointer;border:1px solid var(--line);background:var(--card);color:var(--text)}
button.primary{flex:2;white-space:nowrap;background:var(--accent);border-color:var(--accent);color:var(--accent-text)}
.alert{background:var(--danger-bg);color:var(--danger);border-radius:8px;padding:.65rem .85rem;margin:0 0 1rem;font-weight:500}
.detail{color:var(--muted);font-size:.85rem;margin-top:1.5rem;overflow-wrap:anywhere}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
`;
