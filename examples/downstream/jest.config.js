// Jest runs the test/jest suite as native ESM (Jest's documented setup: no transform, and node
// started with --experimental-vm-modules, as the test:jest script does).
export default {
  testEnvironment: 'node',
  transform: {},
  testMatch: ['<rootDir>/test/jest/**/*.test.js'],
};
