/** Test support: the scripted model server and its scenario builders (not part of the main index). */
export * from './scenario';
export * from './scenario-file';
export * from './scripted-model-server';
