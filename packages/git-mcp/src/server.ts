import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { errAsync, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { makeError, silentLogger, type Logger } from '@yantra/shared';
import type { Identity } from './context.js';
import type { Diff } from './diff.js';
import { toGitError, type GitError } from './errors.js';
import type { LogEntry } from './history.js';
import { openRepository, type Repository } from './repository.js';
import type { RepoStatus } from './status.js';

export interface GitMcpServerOptions {
  /** The repository the server serves; every tool call must name it (or a directory inside it). */
  readonly repoPath: string;
  /** Identity for `git_commit`; default: the repository's `user.*` config. */
  readonly author?: Identity;
  /** Identity used only when the repository configures none. */
  readonly defaultAuthor?: Identity;
  /** Default: silent. A stdio server must log to stderr only. */
  readonly logger?: Logger;
  /** Server version reported to clients. Default `0.0.0`. */
  readonly version?: string;
}

type ToolResult = CallToolResult;

const repoPath = z.string().min(1).describe('Path to the git repository (must be the repository this server serves)');
const contextLines = z.number().int().min(0).max(1000).default(3).describe('Lines of context around each change');

function text(body: string): ToolResult {
  return { content: [{ type: 'text', text: body }] };
}

function failure(e: GitError): ToolResult {
  return { content: [{ type: 'text', text: `${e.kind}: ${e.message}` }], isError: true };
}

function renderStatus(s: RepoStatus): string {
  const lines = [s.branch ? `On branch ${s.branch}` : `HEAD detached at ${s.head?.slice(0, 7) ?? '(no commit)'}`];
  const section = (title: string, entries: readonly string[]) => {
    if (entries.length > 0) lines.push('', `${title}:`, ...entries.map((e) => `  ${e}`));
  };
  section('Changes to be committed', s.staged.map((e) => `${`${e.kind}:`.padEnd(10)} ${e.path}`));
  section('Changes not staged for commit', s.unstaged.map((e) => `${`${e.kind}:`.padEnd(10)} ${e.path}`));
  section('Untracked files', s.untracked);
  if (s.clean) lines.push('', 'nothing to commit, working tree clean');
  return lines.join('\n');
}

function renderEntry(e: LogEntry): string {
  return [`Commit: ${e.sha}`, `Author: ${e.author.name} <${e.author.email}>`, `Date: ${e.date}`, `Message: ${e.message.trimEnd()}`].join('\n');
}

function renderDiff(d: Diff): string {
  return d.patch.length > 0 ? d.patch : '(no changes)';
}

function parseTime(value: string | undefined, name: string): Date | undefined | GitError {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return makeError('invalid_argument', `${name} must be an ISO 8601 date or time, got ${value}`);
  return new Date(t);
}

/**
 * Builds the MCP server for one repository, with the reference git server's tools and
 * argument names (`repo_path` on every tool). Paths are confined to that repository.
 */
export function createGitMcpServer(options: GitMcpServerOptions): ResultAsync<McpServer, GitError> {
  const logger = options.logger ?? silentLogger;
  return openRepository(options.repoPath, {
    logger,
    ...(options.author ? { author: options.author } : {}),
    ...(options.defaultAuthor ? { defaultAuthor: options.defaultAuthor } : {}),
  }).map((repo) => buildServer(repo, options.version ?? '0.0.0', logger));
}

function buildServer(repo: Repository, version: string, logger: Logger): McpServer {
  const server = new McpServer({ name: 'yantra-git', version });

  /** Checks `repo_path` names the served repository, then runs the tool. */
  const guarded = async (requested: string, tool: string, work: () => ResultAsync<string, GitError>): Promise<ToolResult> => {
    let real: string;
    try {
      real = await fsp.realpath(path.resolve(repo.root, requested));
    } catch {
      return failure(makeError('path_outside_repo', `repo_path ${requested} does not exist`, { path: requested }));
    }
    const rel = path.relative(repo.root, real);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      logger.warn('refused a repo_path outside the served repository', { tool, requested });
      return failure(makeError('path_outside_repo', `repo_path ${requested} is not the served repository ${repo.root}`, { path: requested }));
    }
    logger.debug('tool call', { tool });
    return work()
      .match(text, failure)
      .catch((e: unknown) => failure(toGitError(e)));
  };

  const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

  server.registerTool(
    'git_status',
    { title: 'Git status', description: 'Shows the working tree status', inputSchema: { repo_path: repoPath }, annotations: readOnly },
    ({ repo_path }) => guarded(repo_path, 'git_status', () => repo.status().map((st) => `Repository status:\n${renderStatus(st)}`)),
  );

  server.registerTool(
    'git_diff_unstaged',
    {
      title: 'Git diff (unstaged)',
      description: 'Shows changes in the working directory that are not yet staged',
      inputSchema: { repo_path: repoPath, context_lines: contextLines },
      annotations: readOnly,
    },
    ({ repo_path, context_lines }) =>
      guarded(repo_path, 'git_diff_unstaged', () => repo.diffUnstaged({ contextLines: context_lines }).map((d) => `Unstaged changes:\n${renderDiff(d)}`)),
  );

  server.registerTool(
    'git_diff_staged',
    {
      title: 'Git diff (staged)',
      description: 'Shows changes that are staged for commit',
      inputSchema: { repo_path: repoPath, context_lines: contextLines },
      annotations: readOnly,
    },
    ({ repo_path, context_lines }) =>
      guarded(repo_path, 'git_diff_staged', () => repo.diffStaged({ contextLines: context_lines }).map((d) => `Staged changes:\n${renderDiff(d)}`)),
  );

  server.registerTool(
    'git_diff',
    {
      title: 'Git diff against a target',
      description: 'Shows differences between a branch or commit and the working tree',
      inputSchema: { repo_path: repoPath, target: z.string().min(1).describe('Branch, tag or commit to compare with'), context_lines: contextLines },
      annotations: readOnly,
    },
    ({ repo_path, target, context_lines }) =>
      guarded(repo_path, 'git_diff', () => repo.diffAgainst(target, { contextLines: context_lines }).map((d) => `Diff with ${target}:\n${renderDiff(d)}`)),
  );

  server.registerTool(
    'git_commit',
    {
      title: 'Git commit',
      description: 'Records the staged changes in a new commit',
      inputSchema: { repo_path: repoPath, message: z.string().min(1).describe('Commit message') },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ repo_path, message }) =>
      guarded(repo_path, 'git_commit', () => repo.commit(message).map((c) => `Changes committed successfully with hash ${c.sha}`)),
  );

  server.registerTool(
    'git_add',
    {
      title: 'Git add',
      description: 'Adds file contents to the staging area',
      inputSchema: { repo_path: repoPath, files: z.array(z.string().min(1)).min(1).describe('Paths to stage, relative to the repository') },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ repo_path, files }) =>
      guarded(repo_path, 'git_add', () => repo.add(files).map((staged) => `Files staged successfully${staged.length > 0 ? `: ${staged.join(', ')}` : ''}`)),
  );

  server.registerTool(
    'git_reset',
    {
      title: 'Git reset',
      description: 'Unstages all staged changes (the working tree is kept)',
      inputSchema: { repo_path: repoPath },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ repo_path }) => guarded(repo_path, 'git_reset', () => repo.reset().map(() => 'All staged changes reset')),
  );

  server.registerTool(
    'git_log',
    {
      title: 'Git log',
      description: 'Shows the commit history',
      inputSchema: {
        repo_path: repoPath,
        max_count: z.number().int().min(1).max(10_000).default(10).describe('Most commits to show'),
        start_timestamp: z.string().optional().describe('Only commits at or after this ISO 8601 time'),
        end_timestamp: z.string().optional().describe('Only commits at or before this ISO 8601 time'),
      },
      annotations: readOnly,
    },
    ({ repo_path, max_count, start_timestamp, end_timestamp }) =>
      guarded(repo_path, 'git_log', () => {
        const since = parseTime(start_timestamp, 'start_timestamp');
        const until = parseTime(end_timestamp, 'end_timestamp');
        for (const t of [since, until]) if (t !== undefined && !(t instanceof Date)) return errAsync(t);
        return repo
          .log({ maxCount: max_count, ...(since instanceof Date ? { since } : {}), ...(until instanceof Date ? { until } : {}) })
          .map((entries) => `Commit history:\n${entries.map(renderEntry).join('\n\n')}`);
      }),
  );

  server.registerTool(
    'git_create_branch',
    {
      title: 'Git create branch',
      description: 'Creates a new branch from an optional base branch (default: HEAD)',
      inputSchema: {
        repo_path: repoPath,
        branch_name: z.string().min(1).describe('Name of the new branch'),
        base_branch: z.string().min(1).optional().describe('Branch or commit to start from'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ repo_path, branch_name, base_branch }) =>
      guarded(repo_path, 'git_create_branch', () =>
        repo.createBranch(branch_name, base_branch).map(() => `Created branch '${branch_name}' from '${base_branch ?? 'HEAD'}'`),
      ),
  );

  server.registerTool(
    'git_checkout',
    {
      title: 'Git checkout',
      description: 'Switches branches; refuses when uncommitted changes would be overwritten',
      inputSchema: { repo_path: repoPath, branch_name: z.string().min(1).describe('Branch to switch to') },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ repo_path, branch_name }) =>
      guarded(repo_path, 'git_checkout', () => repo.switchBranch(branch_name).map(() => `Switched to branch '${branch_name}'`)),
  );

  server.registerTool(
    'git_show',
    {
      title: 'Git show',
      description: 'Shows the contents of a commit',
      inputSchema: { repo_path: repoPath, revision: z.string().min(1).describe('Commit, branch or tag (HEAD~1 works)') },
      annotations: readOnly,
    },
    ({ repo_path, revision }) =>
      guarded(repo_path, 'git_show', () => repo.show(revision).map((s) => `${renderEntry(s.commit)}\n\n${renderDiff(s.diff)}`)),
  );

  server.registerTool(
    'git_branch',
    {
      title: 'Git branch',
      description: 'Lists branches',
      inputSchema: {
        repo_path: repoPath,
        branch_type: z.enum(['local', 'remote', 'all']).default('local').describe('Which branches to list'),
        contains: z.string().optional().describe('Only branches containing this commit'),
        not_contains: z.string().optional().describe('Only branches not containing this commit'),
      },
      annotations: readOnly,
    },
    ({ repo_path, branch_type, contains, not_contains }) =>
      guarded(repo_path, 'git_branch', () =>
        repo
          .branches({
            scope: branch_type,
            ...(contains ? { contains } : {}),
            ...(not_contains ? { notContains: not_contains } : {}),
          })
          .map((list) => list.branches.map((b) => `${b.current ? '*' : ' '} ${b.name}`).join('\n')),
      ),
  );

  return server;
}

export interface StdioServeOptions extends GitMcpServerOptions {
  readonly stdin?: Readable;
  readonly stdout?: Writable;
}

/**
 * Serves the repository over stdio until stdin ends or the client disconnects. stdout carries
 * JSON-RPC only; logs go to the injected logger (stderr in the CLI).
 */
export function serveStdio(options: StdioServeOptions): ResultAsync<void, GitError> {
  return createGitMcpServer(options).andThen((server) =>
    ResultAsync.fromPromise(
      new Promise<void>((resolve, reject) => {
        const stdin = options.stdin ?? process.stdin;
        const transport = new StdioServerTransport(stdin, options.stdout ?? process.stdout);
        const finish = () => {
          stdin.off('end', finish);
          stdin.off('close', finish);
          server.close().then(resolve, resolve);
        };
        server.server.onclose = () => resolve();
        stdin.once('end', finish);
        stdin.once('close', finish);
        server.connect(transport).catch(reject);
      }),
      toGitError,
    ),
  );
}
