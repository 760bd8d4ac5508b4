// Path matching for route templates such as /guilds/{guild_id}/bans/{user_id}: a literal segment
// (`@me`, `@original`) beats a parameter, and a known path with an unknown method is told apart
// from an unknown path, because Discord answers the first 405 and the second 404.
export type RouteLookup<R> =
  | { kind: 'found'; route: R; params: Record<string, string>; template: string }
  | { kind: 'method-not-allowed'; template: string }
  | { kind: 'not-found' };

interface Entry<R> {
  template: string;
  segments: string[];
  literals: number;
  methods: Map<string, R>;
}

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

function split(path: string): string[] {
  return path.split('/').slice(1);
}

export class Router<R> {
  readonly #entries: Entry<R>[] = [];

  add(method: string, template: string, route: R): this {
    let entry = this.#entries.find((candidate) => candidate.template === template);
    if (!entry) {
      const segments = split(template);
      entry = {
        template,
        segments,
        literals: segments.filter((s) => !isParam(s)).length,
        methods: new Map(),
      };
      this.#entries.push(entry);
      // Most literal segments first, so `/users/@me` is tried before `/users/{user_id}`.
      this.#entries.sort((a, b) => b.literals - a.literals);
    }
    entry.methods.set(method.toUpperCase(), route);
    return this;
  }

  lookup(method: string, path: string): RouteLookup<R> {
    const segments = split(path);
    for (const entry of this.#entries) {
      if (entry.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let matches = true;
      for (let i = 0; i < segments.length; i++) {
        const pattern = entry.segments[i] ?? '';
        const actual = segments[i] ?? '';
        if (isParam(pattern)) {
          if (actual === '') {
            matches = false;
            break;
          }
          params[pattern.slice(1, -1)] = safeDecode(actual);
        } else if (pattern !== actual) {
          matches = false;
          break;
        }
      }
      if (!matches) continue;
      const route = entry.methods.get(method.toUpperCase());
      if (!route) return { kind: 'method-not-allowed', template: entry.template };
      return { kind: 'found', route, params, template: entry.template };
    }
    return { kind: 'not-found' };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
