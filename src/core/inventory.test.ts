import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandHostRange, groupHosts, hostVariables, inventoryTarget, limitHosts, parseIniInventory, parseInventory, parseYamlInventory, type Inventory } from './inventory';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '__fixtures__', 'inventory', name), 'utf8');
const targets = (inv: Inventory, limit = 'all'): string[] => limitHosts(inv, limit).hosts.map((h) => inventoryTarget(inv, h).target);

describe('expandHostRange', () => {
  it('expands numeric ranges keeping leading zeros, letter ranges and steps', () => {
    expect(expandHostRange('web[01:03].example.com')).toEqual(['web01.example.com', 'web02.example.com', 'web03.example.com']);
    expect(expandHostRange('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(expandHostRange('n[1:10:4]')).toEqual(['n1', 'n5', 'n9']);
    expect(expandHostRange('plain')).toEqual(['plain']);
    expect(expandHostRange('bad[3:1]')).toEqual(['bad[3:1]']);
  });
});

describe('INI inventories', () => {
  const inv = parseIniInventory(fixture('hosts.ini'));

  it('reads hosts, ranges, groups and children', () => {
    expect(inv.problems).toEqual([]);
    expect(inv.hosts).toEqual(['bastion', 'web01.example.com', 'web02.example.com', 'web03.example.com', 'db-only', 'db-a', 'db-b']);
    expect(groupHosts(inv, 'prod')).toEqual(['web01.example.com', 'web02.example.com', 'web03.example.com', 'db-only', 'db-a', 'db-b']);
    expect(groupHosts(inv, 'ungrouped')).toEqual(['bastion']);
  });

  it('applies group vars by depth, then host vars', () => {
    expect(hostVariables(inv, 'web01.example.com')).toMatchObject({ ansible_user: 'deploy', ansible_port: '2200' });
    expect(hostVariables(inv, 'db-only')).toMatchObject({ ansible_host: '10.0.0.9', ansible_port: '2222', ansible_user: 'ops' });
    expect(inventoryTarget(inv, 'db-a')).toEqual({ name: 'db-a', target: 'ops@db-a:22', identity: '~/.ssh/db_key' });
    expect(inventoryTarget(inv, 'bastion')).toEqual({ name: 'bastion', target: '10.0.0.1' });
  });

  it('limits by group, host, glob, union, intersection and exclusion', () => {
    expect(limitHosts(inv, 'db').hosts).toEqual(['db-a', 'db-b']);
    expect(limitHosts(inv, 'bastion:db-a').hosts).toEqual(['bastion', 'db-a']);
    expect(limitHosts(inv, 'web0*').hosts).toEqual(['web01.example.com', 'web02.example.com', 'web03.example.com']);
    expect(limitHosts(inv, 'prod:!web').hosts).toEqual(['db-a', 'db-b']);
    expect(limitHosts(inv, 'all:&db').hosts).toEqual(['db-a', 'db-b']);
    expect(limitHosts(inv, 'all:!prod').hosts).toEqual(['bastion']);
    expect(limitHosts(inv, 'nope')).toEqual({ hosts: [], unknown: ['nope'] });
  });

  it('reports lines it does not understand', () => {
    expect(parseIniInventory('[g]\nh1 port\n[g:vars]\nnovalue\n').problems).toHaveLength(2);
  });
});

describe('YAML inventories', () => {
  it('reads the same fleet as the INI form', () => {
    const inv = parseInventory(fixture('hosts.yml'), 'hosts.yml');
    expect(inv.problems).toEqual([]);
    expect(targets(inv)).toEqual(['ops@10.0.0.1', 'deploy@web01.example.com:2200', 'deploy@web02.example.com:2200', 'deploy@web03.example.com:2200', 'ops@db-a:22', 'ops@db-b:22']);
    expect(inventoryTarget(inv, 'db-a').identity).toBe('/keys/db');
    expect(targets(inv, 'prod:!web')).toEqual(['ops@db-a:22', 'ops@db-b:22']);
  });

  it('is detected without a file extension, and INI otherwise', () => {
    expect(parseInventory('all:\n  hosts:\n    h1:\n').hosts).toEqual(['h1']);
    expect(parseInventory('h1\n[g]\nh2\n').hosts).toEqual(['h1', 'h2']);
  });

  it('reports invalid YAML instead of throwing', () => {
    expect(parseYamlInventory('all: [unclosed').problems[0]).toMatch(/YAML/);
    expect(parseYamlInventory('- a\n- b\n').problems).toHaveLength(1);
  });
});

describe('properties', () => {
  it('parsing never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('', 'x.yml', 'x.ini'), (text, name) => {
        const inv = parseInventory(text, name);
        limitHosts(inv, 'all:!x*');
        for (const h of inv.hosts) inventoryTarget(inv, h);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips generated INI', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9_./-]{1,10}$/);
    const hostEntry = fc.record({ host: name, user: fc.option(value, { nil: undefined }), port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.dictionary(name.map((n) => `g${n}`), fc.uniqueArray(hostEntry, { selector: (h) => h.host, maxLength: 4 }), { maxKeys: 4 }), (groups) => {
        const seen = new Set<string>();
        const lines: string[] = [];
        const expected: Record<string, string[]> = {};
        for (const [g, hosts] of Object.entries(groups)) {
          lines.push(`[${g}]`);
          expected[g] = [];
          for (const h of hosts) {
            if (seen.has(h.host)) continue; // vars of a host given twice merge; keep the test simple
            seen.add(h.host);
            expected[g].push(h.host);
            lines.push([h.host, ...(h.user ? [`ansible_user=${h.user}`] : []), ...(h.port ? [`ansible_port=${h.port}`] : [])].join(' '));
          }
        }
        const inv = parseIniInventory(lines.join('\n'));
        expect(inv.problems).toEqual([]);
        for (const [g, hosts] of Object.entries(expected)) expect(inv.groups[g]?.hosts ?? []).toEqual(hosts);
        for (const g of Object.keys(expected)) {
          for (const [i, h] of (groups[g] ?? []).entries()) {
            if (expected[g]!.includes(h.host) && (groups[g] ?? []).findIndex((x) => x.host === h.host) === i) {
              expect(inventoryTarget(inv, h.host).target).toBe(`${h.user ? `${h.user}@` : ''}${h.host}${h.port ? `:${h.port}` : ''}`);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
