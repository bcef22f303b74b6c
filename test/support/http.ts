/** A response body as loosely-typed JSON: tests assert on its shape themselves. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk arbitrary JSON
export const readJson = async (response: Response): Promise<any> => response.json();
