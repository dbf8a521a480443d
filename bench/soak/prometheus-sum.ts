/** Sum of a Prometheus metric's samples in a text exposition, optionally only those whose labels contain `where`. */
export function prometheusSum(text: string, name: string, where?: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    if (where !== undefined && !rest.includes(where)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}
