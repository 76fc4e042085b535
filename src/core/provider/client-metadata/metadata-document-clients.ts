import { ValidationError } from '../../errors.js';
import type { StorageStack } from '../../runtime/storage-stack.js';
import type { OAuthClientRegistrationStorage } from '../../storage/client-registration-port.js';
import type { ClientPatch, ClientRecord } from '../../storage/records.js';
import { DuplicateError, UnknownScopeError } from '../../storage/storage-errors.js';
import { selfRegisteredClientSettings } from '../client-use.js';
import { openIdClientFields, unkeptAlgorithmFault, type OpenIdRegistrationSettings } from '../openid-registration-metadata.js';
import { ClientMetadataError } from './client-metadata-error.js';
import { parseClientIdUrl } from './client-id-url.js';
import type { ClientMetadataDocument } from './document-validation.js';
import { DocumentSource, type SourcedDocument } from './document-source.js';
import { FetchAdmission } from './fetch-admission.js';
import type { ClientMetadataSettings } from './metadata-document-options.js';

/** The fields of a client that its document decides; everything else keeps what the operator set. */
type DocumentFields = Required<
  Pick<
    ClientPatch,
    'name' | 'grants' | 'redirectUris' | 'scopes' | 'defaultScopes' | 'postLogoutRedirectUris' | 'idTokenSignedResponseAlg' | 'subjectType' | 'sectorIdentifier'
  >
>;

/**
 * Clients known by their Client ID Metadata Document: a `client_id` that is an https URL is
 * resolved from the document it names (cached, else fetched), and kept in storage as an ordinary
 * public client, with PKCE required, beside its registration row (kind `metadata_document`, the
 * document as JSON) — tokens and codes refer to stored clients.
 *
 * Storage is written only when the flow goes on (draft §6.6: the server must not let whoever
 * names URLs grow its storage): resolving a client writes nothing, so an authorization page shown
 * for any number of URLs leaves no rows; {@link store} writes the client when a code or token
 * naming it is about to be stored (credentials.ts), and then only what differs (a new client, a
 * changed document, new scopes in the catalogue). A request served from the cache for a client
 * already written from that document costs the one client read any client costs. Fetches are
 * bounded per source and in flight (fetch-admission.ts); a refused one throws
 * `ClientMetadataError` like a failed one.
 */
export class MetadataDocumentClients {
  readonly #documents: DocumentSource;
  readonly #registrations: OAuthClientRegistrationStorage;
  /** What {@link store} has to write for a client {@link resolve} returned, with the stored client it read. */
  readonly #unwritten = new WeakMap<ClientRecord, { sourced: SourcedDocument; stored: ClientRecord | null; fields: DocumentFields }>();

  constructor(
    private readonly storage: StorageStack,
    private readonly settings: ClientMetadataSettings,
    private readonly now: () => Date,
    /** Reads a client for authentication (through the client cache when enabled). */
    private readonly findClient: (id: string) => Promise<ClientRecord | null>,
    /** The provider's OpenID Connect settings; null: it is no OpenID provider. */
    private readonly openid: OpenIdRegistrationSettings | null = null,
  ) {
    if (storage.registrations === null) {
      throw new ValidationError(
        'clientMetadataDocuments',
        'needs a storage with the client-registration port (findClientRegistration, saveClientRegistration, touchClientRegistration, purgeUnusedClients): the SQL and Prisma providers have it',
      );
    }
    this.#registrations = storage.registrations;
    this.#documents = new DocumentSource(settings, new FetchAdmission(settings, storage.attemptCounters), () => now().getTime());
  }

  /**
   * The client `clientId` names, as its document has it now: the stored client when it was
   * written from this very document, else what storing it would make of it — the stored client
   * with the document's fields, or a new client — not yet written ({@link store} writes it).
   * Throws `ClientMetadataError` when the URL or the document cannot be used; storage failures pass.
   * A fetch counts against `source`, the key of the request's source address (null when unknown).
   */
  async resolve(clientId: string, source: string | null): Promise<ClientRecord> {
    const url = parseClientIdUrl(clientId);
    const sourced = await this.#documents.get(clientId, url, source);
    const stored = await this.findClient(clientId);
    // Already written from this very document: the read is all it costs.
    if (sourced.synced && stored !== null) return stored;
    const fields = await this.#fieldsOf(sourced.document);
    const record: ClientRecord = stored === null ? this.#newClient(clientId, fields) : { ...stored, ...fields };
    this.#unwritten.set(record, { sourced, stored, fields });
    return record;
  }

  /**
   * Writes the client {@link resolve} returned, and its registration, when they are not yet
   * stored as its document has them: called before anything that refers to the client (a code,
   * a token) is stored. Nothing to do for any other record.
   */
  async store(client: ClientRecord): Promise<void> {
    const unwritten = this.#unwritten.get(client);
    if (unwritten === undefined) return;
    await this.#sync(unwritten.sourced.document, unwritten.stored, unwritten.fields);
    unwritten.sourced.synced = true;
    this.#unwritten.delete(client);
  }

  /** Brings the stored client and its registration in line with the document; writes only what differs. */
  async #sync(document: ClientMetadataDocument, stored: ClientRecord | null, resolved: DocumentFields): Promise<void> {
    let record: ClientRecord | null = stored;
    let fields = resolved;
    // Twice at most: a scope deleted from the catalogue between reading it and writing the client
    // is read again; a client inserted (or deleted) meanwhile by another request or process is
    // read again and updated (or inserted).
    for (let attempt = 1; ; attempt += 1) {
      try {
        const written = record === null ? await this.#insert(document.clientId, fields) : await this.#update(record, fields);
        if (written !== null) break;
      } catch (error) {
        if (attempt >= 2 || !(error instanceof DuplicateError || error instanceof UnknownScopeError)) throw error;
      }
      if (attempt >= 2) throw new Error(`the client ${document.clientId} was deleted while it was being written from its metadata document`);
      record = await this.storage.runtime.findClient(document.clientId);
      fields = await this.#fieldsOf(document);
    }
    await this.#saveRegistration(document);
  }

  /** What the document, this server's options and the catalogue make of the client's fields. */
  async #fieldsOf(document: ClientMetadataDocument): Promise<DocumentFields> {
    const alg = document.openid.id_token_signed_response_alg;
    const unkept = alg === undefined ? null : unkeptAlgorithmFault(alg, this.openid);
    if (unkept !== null) throw new ClientMetadataError('client_metadata_invalid', `the client metadata document of ${document.clientId} is refused: ${unkept}`);
    const catalogue = (await this.storage.management.listScopes()).map((scope) => scope.name);
    const offered = this.settings.scopes === null ? catalogue : this.settings.scopes.filter((scope) => catalogue.includes(scope));
    const scopes = document.scope === null ? offered : offered.filter((scope) => document.scope?.includes(scope));
    return {
      name: document.name,
      grants: document.grants,
      redirectUris: document.redirectUris,
      scopes,
      // RFC 6749 §3.3: the scope a document names is the client's own, and its default; a document
      // that names none gets the server's default.
      defaultScopes: document.scope === null ? this.settings.defaultScopes.filter((scope) => scopes.includes(scope)) : [...scopes],
      ...openIdClientFields(document.openid, this.openid),
    };
  }

  /** A client nobody stored yet, as the document and the server's settings make it. */
  #newClient(id: string, fields: DocumentFields): ClientRecord {
    return {
      id,
      ...fields,
      // A public client (draft §4.1).
      secretHash: null,
      ...selfRegisteredClientSettings(this.now()),
    };
  }

  async #insert(id: string, fields: DocumentFields): Promise<ClientRecord> {
    const record = this.#newClient(id, fields);
    await this.storage.management.insertClient(record);
    return record;
  }

  /** The stored client with the fields that differ replaced (one write), or as it is; null when it went meanwhile. */
  async #update(stored: ClientRecord, fields: DocumentFields): Promise<ClientRecord | null> {
    const patch: ClientPatch = {};
    for (const key of Object.keys(fields) as Array<keyof DocumentFields>) {
      if (JSON.stringify(stored[key]) !== JSON.stringify(fields[key])) Object.assign(patch, { [key]: fields[key] });
    }
    if (Object.keys(patch).length === 0) return stored;
    return this.storage.management.updateClient(stored.id, patch, this.now());
  }

  /** The registration row: written when missing or when the document changed, keeping when it was last used. */
  async #saveRegistration(document: ClientMetadataDocument): Promise<void> {
    const existing = await this.#registrations.findClientRegistration(document.clientId);
    if (existing?.kind === 'metadata_document' && existing.metadata === document.metadata) return;
    const now = this.now();
    await this.#registrations.saveClientRegistration({
      clientId: document.clientId,
      kind: 'metadata_document',
      accessTokenHash: null,
      metadata: document.metadata,
      // None given: the storage keeps the stored one, which a token issued since the read above
      // may have moved forward (the port never moves it back).
      lastUsedAt: null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    });
  }
}
