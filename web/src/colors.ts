// PLOVER types and their colours: cooperation in greens/blues, verbal conflict in purples,
// material conflict in oranges/reds, so a map reads at a glance.
export const PLOVER_TYPES = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
] as const;

const COLORS: Record<string, string> = {
  AGREE: "#2e7d32", CONSULT: "#43a047", SUPPORT: "#7cb342", CONCEDE: "#9e9d24",
  COOPERATE: "#00897b", AID: "#0097a7", RETREAT: "#546e7a", REQUEST: "#3949ab",
  ACCUSE: "#8e24aa", REJECT: "#c2185b", THREATEN: "#f9a825", PROTEST: "#fb8c00",
  SANCTION: "#6d4c41", MOBILIZE: "#ef6c00", COERCE: "#e53935", ASSAULT: "#b71c1c",
};

export function typeColor(t: string | null | undefined): string {
  return (t && COLORS[t]) || "#757575";
}

// Evidence fields → highlight class. Field names are matched by prefix so "actors.0",
// "recipient", "quantities.1", "procurement.value" all land in a class.
export const FIELD_CLASSES: [RegExp, string, string][] = [
  [/^(actor|source_actor)/, "hl-actor", "actor"],
  [/^(recipient|target)/, "hl-recipient", "recipient"],
  [/^(place|location|geo)/, "hl-place", "place"],
  [/^(date|time)/, "hl-date", "date"],
  [/^(quantit|money|value|fatalit|dead|injur|procurement\.(quantity|value))/, "hl-quantity", "quantity"],
  [/^(claim|source|attribution|certainty)/, "hl-claim", "claim"],
];

export function fieldClass(field: string): [string, string] {
  for (const [re, cls, label] of FIELD_CLASSES) if (re.test(field)) return [cls, label];
  return ["hl-trigger", "trigger"];
}

export const LEGEND: [string, string][] = [
  ["hl-actor", "actor"], ["hl-recipient", "recipient"], ["hl-place", "place"], ["hl-date", "date"],
  ["hl-quantity", "quantity"], ["hl-claim", "claim"], ["hl-trigger", "trigger / other"],
];
