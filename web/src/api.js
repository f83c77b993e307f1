// Every GraphQL document the explorer sends, and the one function that sends them.
// The page is a client of /graphql like any other: nothing here reaches the store.
// When the API changes shape (e.g. evidence as a connection), this is the one module
// to adapt: views only see the plain objects the helpers at the bottom return.

const TOKEN_KEY = "shegong.editorToken";
const EDITOR_KEY = "shegong.editorName";

/** The editor's bearer token for this browser session (sessionStorage), or "". */
export function editorToken() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function editorName() {
  return sessionStorage.getItem(EDITOR_KEY) || "";
}

export function setEditor(token, name) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  if (name) sessionStorage.setItem(EDITOR_KEY, name);
  else sessionStorage.removeItem(EDITOR_KEY);
}

/** A GraphQL error answered by the server (message and extensions.code). */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code || "";
  }
}

/** POST a document; resolves to `data`, rejects with ApiError on any error. */
export async function gql(query, variables = {}, { edit = false } = {}) {
  const headers = { "content-type": "application/json", accept: "application/json" };
  if (edit) {
    const token = editorToken();
    if (token) headers.authorization = `Bearer ${token}`;
    // The editor's name travels as the mutations' `editor` argument: an HTTP header
    // cannot carry a Chinese name.
    const name = editorName() || null;
    variables = variables.input ? { ...variables, input: { ...variables.input, editor: name } } : { ...variables, editor: name };
  }
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
  } catch (e) {
    throw new ApiError(`无法连接服务器：${e.message}`, "NETWORK");
  }
  let body;
  try {
    body = await response.json();
  } catch (e) {
    throw new ApiError(`服务器返回了无法解析的应答（HTTP ${response.status}）`, "BAD_RESPONSE");
  }
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions && first.extensions.code);
  }
  return body.data;
}

// -- fragments ---------------------------------------------------------------------------
const EVIDENCE = `
  articleId sentence start end rule confidence sentenceStart
  article { id title source date }`;

const RELATION = `
  id type sourceId targetId properties confidence curated retracted retractedReason
  reviewed editor note createdAt
  source { id name label }
  target { id name label }
  evidenceCount
  evidence(first: 10) { totalCount nodes { ${EVIDENCE} } }`;

const PLACE_CHAIN = `id name parent { id name parent { id name parent { id name } } }`;

// -- queries -----------------------------------------------------------------------------
export const SEARCH = `query Search($text: String!, $first: Int) {
  search(text: $text, first: $first) {
    totalCount
    edges { node {
      id name label kind aliases degree
      ... on Place { level parent { id name } }
      ... on Event { date place { id name } }
      located: relations(types: [LOCATED_IN], direction: OUT, first: 1) {
        edges { node { target { id name } } } }
    } }
  } }`;

export const ENTITY = `query Entity($id: ID!) {
  entity(id: $id) {
    id name label kind aliases degree firstSeen lastSeen
    ... on Place { level adcode latitude longitude parent { ${PLACE_CHAIN} } }
    ... on Event { date dateText place { ${PLACE_CHAIN} } }
    located: relations(types: [LOCATED_IN], direction: OUT, first: 3) {
      edges { node { target { id name ... on Place { parent { ${PLACE_CHAIN} } } } } } }
    relations(first: 100) { totalCount edges { node { ${RELATION} } } }
    mentions(first: 50) { totalCount edges { node { id title source date } } }
  }
  retractedOut: relations(source: $id, includeRetracted: true, first: 100) {
    edges { node { ${RELATION} } } }
  retractedIn: relations(target: $id, includeRetracted: true, first: 100) {
    edges { node { ${RELATION} } } }
}`;

export const ENTITY_NAME = `query EntityName($id: ID!) { entity(id: $id) { id name } }`;

export const ARTICLE = `query Article($id: ID!) {
  article(id: $id) {
    id title source date url file text
    entities(first: 100) { totalCount edges { node { id name label aliases } } }
  } }`;

export const NEIGHBOURHOOD = `query Neighbourhood($id: ID!, $hops: Int!, $types: [RelationType!], $limit: Int!) {
  neighbourhood(id: $id, hops: $hops, types: $types, limit: $limit) {
    truncated
    center { id name label }
    nodes { id name label ... on Entity { kind degree } }
    edges { id type sourceId targetId confidence curated }
  } }`;

export const PATH = `query Path($from: ID!, $to: ID!, $maxHops: Int!) {
  path(from: $from, to: $to, maxHops: $maxHops) {
    length
    nodes { id name label }
    relations { ${RELATION} }
  } }`;

export const REVIEW_QUEUE = `query Review($max: Float!, $first: Int, $after: String) {
  reviewQueue(maxConfidence: $max, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { ${RELATION} } }
  } }`;

export const AUDIT = `query Audit($entity: ID, $editor: String, $first: Int, $after: String) {
  audit(entity: $entity, editor: $editor, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { at editor action target note details } }
  } }`;

export const STATS = `query Stats {
  stats(top: 12) {
    nodes relations
    nodesByLabel { label count }
    mostConnected { degree entity { id name label kind } }
  } }`;

// -- mutations (need the editor token) ---------------------------------------------------
export const RETRACT = `mutation Retract($id: ID!, $reason: String!, $note: String, $editor: String) {
  retractRelation(id: $id, reason: $reason, note: $note, editor: $editor) { id retracted retractedReason } }`;

export const ACCEPT = `mutation Accept($id: ID!, $note: String, $editor: String) {
  acceptRelation(id: $id, note: $note, editor: $editor) { id reviewed } }`;

export const ADD_RELATION = `mutation AddRelation($input: AddRelationInput!) {
  addRelation(input: $input) { id type curated source { id name } target { id name } } }`;

export const ADD_ALIAS = `mutation AddAlias($id: ID!, $alias: String!, $note: String, $editor: String) {
  addAlias(id: $id, alias: $alias, note: $note, editor: $editor) { id aliases } }`;

export const MERGE = `mutation Merge($keep: ID!, $merge: [ID!]!, $note: String, $editor: String) {
  mergeEntities(keep: $keep, merge: $merge, note: $note, editor: $editor) { id name aliases } }`;

// -- shapes the views use ----------------------------------------------------------------
/** The nodes of a connection (`edges { node }`). */
export function nodesOf(connection) {
  return connection ? connection.edges.map((edge) => edge.node) : [];
}

/** A relation's evidence as a plain list, whatever shape the API gives it. */
export function evidenceOf(relation) {
  const ev = relation.evidence;
  if (!ev) return [];
  if (Array.isArray(ev)) return ev;
  return ev.nodes || nodesOf(ev);
}
