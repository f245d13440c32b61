// The part of cmake-js's (untyped) API that the build uses.
declare module 'cmake-js' {
  interface BuildSystemOptions {
    /** The CMake project (where CMakeLists.txt is). */
    directory: string;
    /** The CMake binary directory. */
    out: string;
    config?: 'Release' | 'Debug' | 'RelWithDebInfo';
    generator?: string;
    /** Passed as -D<key>=<value>. */
    cMakeOptions?: Record<string, string>;
    /** Route cmake-js's own log lines to the `debug` module instead of stdout. */
    noLog?: boolean;
    silent?: boolean;
  }

  class BuildSystem {
    constructor(options: BuildSystemOptions);
    getConfigureCommand(): Promise<string[]>;
    getBuildCommand(): Promise<Array<string | number>>;
  }

  const cmakeJs: { BuildSystem: typeof BuildSystem };
  export default cmakeJs;
}
