/**
 * Rebuilds a pytest node id from JUnit's `classname` (dotted module plus classes), `name` and,
 * in the xunit1 family, `file`. Without `file`, the module path is a guess: every dotted part
 * that starts with a lower-case letter or `test` is taken as a path segment.
 */
export function nodeIdOf(classname: string, name: string, file: string | undefined): string {
  const parts = classname === '' ? [] : classname.split('.');
  if (file !== undefined && file !== '') {
    const modParts = file.replace(/\.py$/, '').split('/').filter((p) => p !== '' && p !== '.');
    let i = 0;
    while (i < modParts.length && i < parts.length && parts[i] === modParts[i]) i += 1;
    // Only a full module match lets us split classes off reliably.
    const classes = i === modParts.length ? parts.slice(i) : parts.slice(Math.max(0, parts.length - countClasses(parts)));
    return [file, ...classes, name].join('::');
  }
  const classCount = countClasses(parts);
  const modParts = parts.slice(0, parts.length - classCount);
  const classes = parts.slice(parts.length - classCount);
  const path = modParts.length > 0 ? `${modParts.join('/')}.py` : '';
  return [path, ...classes, name].filter((p) => p !== '').join('::');
}

function countClasses(parts: readonly string[]): number {
  let n = 0;
  for (let i = parts.length - 1; i >= 0; i -= 1) {
    if (/^[A-Z]/.test(parts[i] ?? '')) n += 1;
    else break;
  }
  return n;
}
