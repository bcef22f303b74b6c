/** Where the local runtime reports failures of the functions it runs (handler logs go to stdout). */
export type RuntimeLog = (message: string, error?: unknown) => void;

export const consoleRuntimeLog: RuntimeLog = (message, error) => {
  if (error === undefined) console.error(message);
  else console.error(message, error);
};

/** For tests that provoke failures on purpose; their assertions say what went wrong. */
export const silentRuntimeLog: RuntimeLog = () => undefined;
