import { describe, expect, it } from 'vitest';
import { basePath, branchName, hostName, portNumber, repositoryName, siteOrigin } from './site-options.ts';

describe('site option checks accept every form that built before, as given', () => {
  it.each([
    [
      siteOrigin,
      [
        'https://me.github.io',
        'https://me.github.io/',
        'http://localhost:4321',
        'https://me.github.io/lab',
        'https://lab.example.org/a/b/',
      ],
    ],
    [basePath, ['', '/', 'lab', '/lab', 'lab/', '/my-repo/', '//lab//', ' /lab/ ', '/a/b/', '/v1.2_x~y/', '/café/']],
    [
      repositoryName,
      ['octo/lab', 'my.org/lab_2', 'https://github.com/octo/lab', 'https://github.com/octo/lab.git', 'https://ghe.example.com/o/r/'],
    ],
    [branchName, ['main', 'labbook-data', 'feature/x', 'v1.2', 'data_2026']],
    [hostName, ['127.0.0.1', 'localhost', '0.0.0.0', '::1', '::', 'my-box.local']],
  ] as const)('%o', (check, values) => {
    for (const value of values) expect(check(value, '--x')).toBe(value);
  });

  it('reads a port written in digits, 0 to 65535', () => {
    expect(['0', '80', '4321', '65535'].map((p) => portNumber(p, '--port'))).toEqual([0, 80, 4321, 65535]);
    for (const wrong of ['', '-1', '65536', '1e3', '0x50', ' 80', '4321.0']) expect(() => portNumber(wrong, '--port')).toThrow(/--port/);
  });
});
