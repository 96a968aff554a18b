/**
 * A copy of a string that shares no memory with the text it was cut from. V8 makes a substring
 * of 13 or more characters a view into its parent, so an id kept from a 64 KiB chunk of a
 * streamed file keeps the whole chunk alive, and a set of ids kept for a whole import kept the
 * whole file. JSON.parse always makes a string of its own.
 */
export function detachString(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
