declare module 'virtual:labbook/site' {
  /** The data pass's result (site/build/site-model-module.ts). */
  export const model: import('../view/site-model.ts').SiteModel;
}
