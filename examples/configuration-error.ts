/** Configuration the operator must fix (an environment variable): reported as one log line, its message as it is. */
export class ConfigurationError extends Error {}
