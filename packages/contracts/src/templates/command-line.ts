/**
 * Splits a command line into words the way a POSIX shell splits them, and does nothing else a shell
 * does: no variables, globs, `~`, pipes or redirections (they stay literal text in a word). Single
 * quotes keep everything; double quotes keep everything but `\"` and `\\`; a backslash outside
 * quotes keeps the next character. Returns the words, or what is wrong with the line.
 */
export function splitCommandLine(line: string): string[] | string {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return 'the command ends with a lone backslash';
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return `the command has an unclosed ${quote === '"' ? 'double' : 'single'} quote`;
  if (inWord) words.push(word);
  if (words.length === 0) return 'the command is empty; give the program to run, e.g. "python3 train.py"';
  return words;
}
