/**
 * Where the project lives: the one base every link shardwise prints or
 * writes is made from (rule documentation, schema `$id`s, the plan file's
 * schema header, the SARIF tool URI, where to report a bug). It is the
 * `repository` of package.json, written here as a constant so that no
 * command reads package.json to print a link; test/project/links.test.ts
 * fails when the two differ.
 */

/** The repository's home page (package.json `repository`, `homepage`, `bugs`). */
export const REPOSITORY = 'https://github.com/shardwise/shardwise';

/** The branch the published documentation is read from. */
const BRANCH = 'main';

/** A file of the repository as a page to read (Markdown rendered). */
export function repositoryPage(path: string): string {
  return `${REPOSITORY}/blob/${BRANCH}/${path}`;
}

/** A file of the repository as served raw (what an editor fetches for a `$schema`). */
export function repositoryFile(path: string): string {
  return `${REPOSITORY}/raw/${BRANCH}/${path}`;
}

/** The URL a JSON Schema in schemas/ is known by (its `$id`). */
export function schemaUrl(name: string): string {
  return repositoryFile(`schemas/${name}`);
}

/** Where a bug is reported. */
export const ISSUES = `${REPOSITORY}/issues`;

/** A rule id (`FK01`): its page is docs/rules/<ID>.md, `shardwise rules <ID>` shows it offline. */
export const RULE_ID = /^[A-Z]+[0-9]+$/;

/**
 * The documentation page of a rule, or of a finding no rule file describes
 * (`syntax-error`, `unused-ignore`, ...): a section of docs/rules/README.md.
 */
export function ruleDocUrl(ruleId: string): string {
  return RULE_ID.test(ruleId) ? repositoryPage(`docs/rules/${ruleId}.md`) : `${repositoryPage('docs/rules/README.md')}#${encodeURIComponent(ruleId)}`;
}
