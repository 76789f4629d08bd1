/**
 * Token-like secrets are removed from exported text: a training set must
 * never carry credentials someone pasted into a review. Patterns favour
 * recall; a redacted non-secret costs little.
 */
const PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bsk-ant-[A-Za-z0-9_-]{20,}\b/g,
  /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g,
  /\b(?:https?:\/\/)[^\s/:@]+:[^\s/:@]+@/g,
];

/** `password = "hunter2hunter2"`-style assignments keep their name and lose their value. */
const ASSIGNMENT = /\b([A-Za-z_]*(?:secret|token|passw(?:or)?d|api[_-]?key|access[_-]?key|private[_-]?key)[A-Za-z_]*)(\s*[:=]\s*)(["']?)([^\s"']{8,})\3/gi;

export const REDACTED = "[REDACTED]";

export const redactSecrets = (text: string): string => {
  let out = text;
  for (const re of PATTERNS) out = out.replace(re, REDACTED);
  return out.replace(ASSIGNMENT, (_m, name: string, sep: string, quote: string) => `${name}${sep}${quote}${REDACTED}${quote}`);
};
