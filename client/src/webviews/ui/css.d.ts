/** CSS imports are bundled by esbuild into `dist/webview/<entry>.css`; they export nothing. */
declare module '*.css';
