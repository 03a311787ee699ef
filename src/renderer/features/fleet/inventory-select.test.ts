import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../../core/inventory';
import type { InventoryView } from '../../../shared/api';
import { groupTree, selectInventoryHosts } from './inventory-select';

const INI = ['[web]', 'web1 ansible_host=10.0.0.1', 'web2 ansible_host=10.0.0.2 ansible_ssh_private_key_file=/k/web', '[db]', 'db1 ansible_host=10.0.0.3', '[prod:children]', 'web', 'db', '[all:vars]', 'ansible_user=deploy', ''].join('\n');

function view(text = INI): InventoryView {
  const inventory = parseInventory(text, 'hosts.ini');
  const targets: InventoryView['targets'] = {
    web1: { target: 'deploy@10.0.0.1' },
    web2: { target: 'deploy@10.0.0.2', identity: '/k/web' },
    db1: { target: 'deploy@10.0.0.3' },
  };
  return { file: '/i/hosts.ini', inventory, targets, problems: [] };
}

describe('selectInventoryHosts', () => {
  it('selects nothing until a group or a limit is given', () => {
    expect(selectInventoryHosts(view(), new Set(), '').targets).toEqual([]);
  });

  it('takes the hosts of the chosen groups, with their targets and key files', () => {
    expect(selectInventoryHosts(view(), new Set(['web']), '')).toEqual({ hosts: ['web1', 'web2'], targets: ['deploy@10.0.0.1', 'deploy@10.0.0.2'], identities: ['/k/web'], unknown: [] });
    expect(selectInventoryHosts(view(), new Set(['web', 'db']), '').hosts).toEqual(['web1', 'web2', 'db1']);
    expect(selectInventoryHosts(view(), new Set(['prod']), '').hosts).toEqual(['web1', 'web2', 'db1']);
  });

  it('narrows by a --limit pattern, alone or within the groups, and reports unknown names', () => {
    expect(selectInventoryHosts(view(), new Set(['prod']), '!web2').hosts).toEqual(['web1', 'db1']);
    expect(selectInventoryHosts(view(), new Set(['web']), 'db1').hosts).toEqual([]);
    expect(selectInventoryHosts(view(), new Set(), 'web*').hosts).toEqual(['web1', 'web2']);
    expect(selectInventoryHosts(view(), new Set(), 'nope').unknown).toEqual(['nope']);
  });
});

describe('groupTree', () => {
  it('nests children under their parents with recursive host counts', () => {
    const tree = groupTree(view().inventory);
    expect(tree.map((g) => [g.name, g.hostCount])).toEqual([['prod', 3]]);
    expect(tree[0]!.children.map((g) => [g.name, g.hostCount])).toEqual([
      ['web', 2],
      ['db', 1],
    ]);
  });
});
