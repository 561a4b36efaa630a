import { describe, expect, it } from 'vitest';
import { allowedMethods } from './methods.ts';

const routes = [
  { method: 'ALL', path: '/api/*' },
  { method: 'GET', path: '/api/notices' },
  { method: 'GET', path: '/api/notices/:id' },
  { method: 'DELETE', path: '/api/admin/notices/:id' },
  { method: 'POST', path: '/api/similar' },
  { method: 'GET', path: '/api/passages/:id/similar' },
  { method: 'ALL', path: '/api/admin/*' },
];

describe('allowed methods of a path', () => {
  it('lists the methods of the routes matching it, HEAD with GET', () => {
    expect(allowedMethods(routes, '/api/notices')).toEqual(['GET', 'HEAD']);
    expect(allowedMethods(routes, '/api/notices/abc')).toEqual(['GET', 'HEAD']);
    expect(allowedMethods(routes, '/api/similar')).toEqual(['POST']);
    expect(allowedMethods(routes, '/api/admin/notices/x1')).toEqual(['DELETE']);
  });

  it('knows no methods for an unknown path: middleware and catch-alls do not make a path known', () => {
    expect(allowedMethods(routes, '/api/nothing')).toEqual([]);
    expect(allowedMethods(routes, '/api/notices/a/b')).toEqual([]);
    expect(allowedMethods(routes, '/api/passages/x')).toEqual([]);
  });
});
