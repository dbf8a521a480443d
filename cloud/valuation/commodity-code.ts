// Commodity codes are lower-case snake case ("crude_oil"), the form commodity-classes.ts
// classifies; feeds write "Crude Oil" or "crude-oil" for the same thing.
const CODE = /^[a-z0-9_]{1,64}$/;

export function normaliseCommodity(text: string): string | undefined {
  const code = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return CODE.test(code) ? code : undefined;
}
