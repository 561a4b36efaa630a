/** The search page (also at notices/:id) and the widget: static files in api/web/, read once at start. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

// Resolved from the project root, so that it holds both here and in the bundle `npm start` runs (dist/).
export function loadAssets(dir = fileURLToPath(new URL('../api/web/', import.meta.url))): Map<string, { type: string; body: string | Uint8Array }> {
  const assets = new Map<string, { type: string; body: string | Uint8Array }>();
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const ext = name.slice(name.lastIndexOf('.'));
    const type = TYPES[ext];
    if (!type) continue;
    const body = type.startsWith('image/png') ? readFileSync(dir + name) : readFileSync(dir + name, 'utf8');
    assets.set(name === 'index.html' ? '/' : `/${name}`, { type, body });
    // A notice's own page (notices/<id>#<passage>) is the search page, which reads the notice
    // from its URL; <base> keeps the page's relative links (app.css, api/…) at the root.
    if (name === 'index.html' && typeof body === 'string') {
      assets.set('/notices/:id', { type, body: body.replace('<head>', '<head>\n<base href="../">') });
    }
  }
  return assets;
}
