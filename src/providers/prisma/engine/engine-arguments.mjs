// The command line the Prisma CLI gives its schema engine:
//   server mode:   [--datamodels <abs path>]… [--datasource <json>] [--enabled-preview-features a,b]
//                  [--extension-types <json>]
//   one-shot mode: --datasource <json> cli <can-connect-to-database | create-database | drop-database>
//   version:       --version

/**
 * @param {string[]} argv arguments after the program name
 * @returns {{ version: boolean, datamodelPaths: string[], datasource: { url?: string, shadowDatabaseUrl?: string } | undefined, cliCommand: string | undefined }}
 */
export function parseEngineArguments(argv) {
  /** @type {string[]} */
  const datamodelPaths = [];
  let datasource;
  let cliCommand;
  let version = false;
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${argument} needs a value`);
      i += 1;
      return next;
    };
    switch (argument) {
      case '--version':
      case '-V':
        version = true;
        break;
      case '--datamodels':
      case '-d':
        datamodelPaths.push(value());
        break;
      case '--datasource':
        try {
          datasource = JSON.parse(value());
        } catch {
          throw new Error('--datasource must be JSON');
        }
        break;
      case '--enabled-preview-features':
      case '--extension-types':
        value(); // accepted for compatibility; the WASM engine reads preview features from the schema
        break;
      case 'cli':
        cliCommand = argv[i + 1];
        i = argv.length;
        break;
      default:
        throw new Error(`Unknown argument: ${argument}`);
    }
  }
  return { version, datamodelPaths, datasource, cliCommand };
}
