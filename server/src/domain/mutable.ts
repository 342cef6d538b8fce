/** `T` with its `readonly` properties writable: for an object built field by field before it is handed out as `T`. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
