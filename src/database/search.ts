/** An ILIKE pattern that matches `text` anywhere, with LIKE's wildcards in the user's text taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
