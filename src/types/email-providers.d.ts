// Type declaration for `email-providers`, which ships none: its default export is a list of domains.
declare module 'email-providers' {
  const domains: readonly string[];
  export default domains;
}
