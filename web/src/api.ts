// Typed access to the eventwire API. Every error response has the shape
// {"error": {"code", "message", "detail"?}}; ApiError carries it to the views.

export interface Actor {
  text: string;
  entity_id?: string | null;
  country?: string | null;
  sector?: string | null;
  start?: number | null;
  end?: number | null;
}

export interface Evidence {
  field: string;
  start: number;
  end: number;
  where?: string;
}

export interface Quantity {
  start: number;
  end: number;
  text: string;
  value: number;
  unit?: string | null;
  currency?: string | null;
  kind?: string | null;
}

export interface EventRecord {
  id: string;
  article_id: string;
  type: string;
  sentence: [number, number];
  mode?: string | null;
  context?: string | null;
  acled_event_type?: string | null;
  acled_sub_event_type?: string | null;
  cameo?: string | null;
  actors: Actor[];
  recipients: Actor[];
  place?: {
    name?: string; text?: string; lat: number; lon: number; country?: string | null;
    admin1?: string | null; precision?: number; how?: string; resolved?: string | null;
  } | null;
  /** anchor: what the day was read against — "story": no publication date, the latest day the
   *  text names; "ingest": no date at all was known. */
  date?: {
    date_start?: string; date_end?: string; precision?: string; text?: string; source?: string;
    anchor?: "publication" | "story" | "ingest" | "text";
  } | null;
  quantities: Quantity[];
  claim?: { certainty?: string; source_text?: string | null; verb?: string | null } | null;
  flags: { negated?: boolean; future?: boolean; hypothetical?: boolean; historical?: boolean };
  procurement?: Record<string, unknown> | null;
  confidence?: number | null;
  evidence: Evidence[];
  trigger?: [number, number] | null;
  in_caption?: boolean;
  summary?: string | null;
  canonical?: {
    id: string; num_articles?: number | null; num_sources?: number | null; num_mentions?: number | null;
    confidence?: number | null;
  } | null;
  article?: { id: string; title?: string | null; source?: string; url?: string | null; published_at?: string | null;
    out_of_scope?: boolean };
  /** An analyst's review (store/reviews.py): the fields above are then the reviewed values, and
   * ``machine`` holds the machine's values of the fields the review changed. */
  review?: { status: "accepted" | "rejected" | "edited"; reviewer?: string | null; reviewed_at?: string | null;
    fields?: string[] } | null;
  machine?: Record<string, unknown>;
}

export interface EventPage {
  total: number;
  limit: number;
  offset: number;
  sort: string;
  /** The confidence floor applied, and how many more events match but for it. */
  min_confidence: number | null;
  below_confidence: number;
  items: EventRecord[];
}

export interface Stats {
  total: number;
  articles: number;
  by_type: Record<string, number>;
  by_country: Record<string, number>;
  by_month: Record<string, number>;
  bucket: string;
  timeline: { t: string; n: number }[];
  undated: number;
  /** Historical and future events: matched, but not on the timeline. */
  off_timeline?: number;
}

export interface ArticleRecord {
  id: string;
  source: string;
  url?: string | null;
  title?: string | null;
  body: string;
  paragraphs: [number, number][];
  captions: { text: string; credit?: string | null }[];
  published_at?: string | null;
  byline?: string | null;
  publisher?: string | null;
  events: EventRecord[];
  mentions: { start: number; end: number; text: string; label: string; entity_id?: string | null }[];
  places: { name: string; country?: string | null }[];
  copies?: string[];
  duplicate_of?: string | null;
  /** Set when a reviewer marked the article out of scope (or back in scope). */
  review?: { out_of_scope: boolean; reviewer?: string; reviewed_at?: string } | null;
}

export interface Entity {
  id: string;
  name: string;
  kind: string;
  country?: string | null;
  sector?: string | null;
  aliases: string[];
  description?: string | null;
  events: number;
  relations: {
    type: string; target: string; direction?: string; valid_from?: string | null; valid_to?: string | null;
    entity?: { id: string; name: string; kind?: string | null; country?: string | null; events: number };
  }[];
  recent_events?: EventRecord[];
  related_events?: Record<string, EventRecord[]>;
}

export interface Config {
  version: string;
  tile_url: string | null;
  writes: boolean;
  certainties: string[];
  flags: string[];
  /** The server's default confidence floor (the min_confidence setting). */
  min_confidence: number;
}

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }
}

export async function getJSON<T>(path: string, params?: URLSearchParams, signal?: AbortSignal): Promise<T> {
  const url = params && [...params.keys()].length ? `${path}?${params}` : path;
  let resp: Response;
  try {
    resp = await fetch(url, { headers: { accept: "application/json" }, signal });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, "network", "cannot reach the eventwire server; is `eventwire serve` still running?");
  }
  let body: unknown = null;
  try {
    body = await resp.json();
  } catch {
    body = null;
  }
  if (!resp.ok) {
    const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(resp.status, err?.code ?? `http_${resp.status}`, err?.message ?? `HTTP ${resp.status}`);
  }
  return body as T;
}
