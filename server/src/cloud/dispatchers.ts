/**
 * The undici dispatchers dirsync uses, each loaded from its own file. undici's index also loads
 * fetch, WebSocket, the caches and the mocks: about 50 ms of every CLI command's and the language
 * server's start (docs/benchmarks.md). The index gives every dispatcher its request API
 * (`request`, `stream`, …) by assigning it to the base class; so does this module, the same way.
 * A unit test loads this module alone and checks both against undici's index.
 */
import AgentClass from 'undici/lib/dispatcher/agent.js';
import DispatcherClass from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgentClass from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import ProxyAgentClass from 'undici/lib/dispatcher/proxy-agent.js';
import api from 'undici/lib/api/index.js';

if (typeof DispatcherClass.prototype.request !== 'function') Object.assign(DispatcherClass.prototype, api);

export const Agent = AgentClass;
export type Agent = InstanceType<typeof AgentClass>;
export const ProxyAgent = ProxyAgentClass;
export type ProxyAgent = InstanceType<typeof ProxyAgentClass>;
export const EnvHttpProxyAgent = EnvHttpProxyAgentClass;
export type EnvHttpProxyAgent = InstanceType<typeof EnvHttpProxyAgentClass>;
