import { HttpError } from './http-error.js';
import type { Endpoint, Route } from './routes.js';

interface CompiledRoute {
  readonly path: string;
  readonly pattern: RegExp;
  readonly methods: Partial<Record<string, Endpoint>>;
}

/** What a path is in the table: a route (with its raw, still percent-encoded parameters), or none. */
export type RouteMatch = { readonly route: Route; readonly params: readonly string[] } | undefined;

function compile(path: string): RegExp {
  const source = path
    .split(/(\{[^}/]+\})/)
    .map((piece) => (/^\{[^}/]+\}$/.test(piece) ? '([^/]+)' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** The routes, matched exactly (SPEC §3.8): a path is one template or nothing. */
export class RouteTable {
  readonly #routes: readonly CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.#routes = routes.map((route) => ({ ...route, pattern: compile(route.path) }));
  }

  match(pathname: string): RouteMatch {
    for (const route of this.#routes) {
      const match = route.pattern.exec(pathname);
      if (match !== null) return { route, params: match.slice(1) };
    }
    return undefined;
  }

  /** The 404 for a path no route has: its JSON names the paths that exist (SPEC §3.8). */
  notFound(pathname: string): HttpError {
    const paths = this.#routes.map((route) => route.path);
    return new HttpError(
      404,
      'not_found',
      `no route for ${pathname}; the paths that exist: ${paths.join(', ')}`,
      {},
      { paths },
    );
  }
}
