/**
 * The markdownlint rules the checks catalog may use, pinned to markdownlint
 * 0.40.0 (from its `schema/markdownlint-config-schema-strict.json`): each
 * rule id, its first alias, and the option names its object form accepts
 * besides `enabled` and `severity`. MD002, MD006, MD008, MD015–MD017 and
 * MD057 do not exist (retired or never used). A catalog check's
 * `markdownlint.options` may only use the option names listed here.
 */
export const MARKDOWNLINT_VERSION = "0.40.0";

export interface MarkdownlintRule {
  /** The rule's first alias, such as `line-length`. */
  name: string;
  /** Option names of the rule's object form (besides `enabled` and `severity`). */
  options: readonly string[];
}

export const MARKDOWNLINT_RULES: ReadonlyMap<string, MarkdownlintRule> = new Map<string, MarkdownlintRule>([
  ["MD001", { name: "heading-increment", options: ["front_matter_title"] }],
  ["MD003", { name: "heading-style", options: ["style"] }],
  ["MD004", { name: "ul-style", options: ["style"] }],
  ["MD005", { name: "list-indent", options: [] }],
  ["MD007", { name: "ul-indent", options: ["indent", "start_indented", "start_indent"] }],
  ["MD009", { name: "no-trailing-spaces", options: ["br_spaces", "code_blocks", "list_item_empty_lines", "strict"] }],
  ["MD010", { name: "no-hard-tabs", options: ["code_blocks", "ignore_code_languages", "spaces_per_tab"] }],
  ["MD011", { name: "no-reversed-links", options: [] }],
  ["MD012", { name: "no-multiple-blanks", options: ["maximum"] }],
  ["MD013", { name: "line-length", options: ["line_length", "heading_line_length", "code_block_line_length", "code_blocks", "tables", "headings", "strict", "stern"] }],
  ["MD014", { name: "commands-show-output", options: [] }],
  ["MD018", { name: "no-missing-space-atx", options: [] }],
  ["MD019", { name: "no-multiple-space-atx", options: [] }],
  ["MD020", { name: "no-missing-space-closed-atx", options: [] }],
  ["MD021", { name: "no-multiple-space-closed-atx", options: [] }],
  ["MD022", { name: "blanks-around-headings", options: ["lines_above", "lines_below"] }],
  ["MD023", { name: "heading-start-left", options: [] }],
  ["MD024", { name: "no-duplicate-heading", options: ["siblings_only"] }],
  ["MD025", { name: "single-title", options: ["front_matter_title", "level"] }],
  ["MD026", { name: "no-trailing-punctuation", options: ["punctuation"] }],
  ["MD027", { name: "no-multiple-space-blockquote", options: ["list_items"] }],
  ["MD028", { name: "no-blanks-blockquote", options: [] }],
  ["MD029", { name: "ol-prefix", options: ["style"] }],
  ["MD030", { name: "list-marker-space", options: ["ul_single", "ol_single", "ul_multi", "ol_multi"] }],
  ["MD031", { name: "blanks-around-fences", options: ["list_items"] }],
  ["MD032", { name: "blanks-around-lists", options: [] }],
  ["MD033", { name: "no-inline-html", options: ["allowed_elements", "table_allowed_elements"] }],
  ["MD034", { name: "no-bare-urls", options: [] }],
  ["MD035", { name: "hr-style", options: ["style"] }],
  ["MD036", { name: "no-emphasis-as-heading", options: ["punctuation"] }],
  ["MD037", { name: "no-space-in-emphasis", options: [] }],
  ["MD038", { name: "no-space-in-code", options: [] }],
  ["MD039", { name: "no-space-in-links", options: [] }],
  ["MD040", { name: "fenced-code-language", options: ["allowed_languages", "language_only"] }],
  ["MD041", { name: "first-line-heading", options: ["allow_preamble", "front_matter_title", "level"] }],
  ["MD042", { name: "no-empty-links", options: [] }],
  ["MD043", { name: "required-headings", options: ["headings", "match_case"] }],
  ["MD044", { name: "proper-names", options: ["names", "code_blocks", "html_elements"] }],
  ["MD045", { name: "no-alt-text", options: [] }],
  ["MD046", { name: "code-block-style", options: ["style"] }],
  ["MD047", { name: "single-trailing-newline", options: [] }],
  ["MD048", { name: "code-fence-style", options: ["style"] }],
  ["MD049", { name: "emphasis-style", options: ["style"] }],
  ["MD050", { name: "strong-style", options: ["style"] }],
  ["MD051", { name: "link-fragments", options: ["ignore_case", "ignored_pattern"] }],
  ["MD052", { name: "reference-links-images", options: ["ignored_labels", "shortcut_syntax"] }],
  ["MD053", { name: "link-image-reference-definitions", options: ["ignored_definitions"] }],
  ["MD054", { name: "link-image-style", options: ["autolink", "inline", "full", "collapsed", "shortcut", "url_inline"] }],
  ["MD055", { name: "table-pipe-style", options: ["style"] }],
  ["MD056", { name: "table-column-count", options: [] }],
  ["MD058", { name: "blanks-around-tables", options: [] }],
  ["MD059", { name: "descriptive-link-text", options: ["prohibited_texts"] }],
  ["MD060", { name: "table-column-style", options: ["style", "aligned_delimiter"] }],
]);

/** Option names every markdownlint rule accepts in its object form. */
export const MARKDOWNLINT_COMMON_OPTIONS: readonly string[] = ["enabled", "severity"];
