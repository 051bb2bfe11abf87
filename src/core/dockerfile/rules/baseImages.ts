// What Berth knows about base images without pulling them: the variables
// that widely used official images define, and which images are Windows ones.
// BuildKit reads these from the pulled image; the variable checks
// (buildkitVars.ts) start a stage built FROM an image with them.

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// ENV that widely used official images set. BuildKit reads the pulled image's
// config; without it, a variable these images define would be reported as
// undefined. Only names matter here: their values are treated as unknown.
const JAVA = ['JAVA_HOME', 'JAVA_VERSION', 'LANG', 'LANGUAGE', 'LC_ALL'];
const DOTNET = ['APP_UID', 'ASPNETCORE_HTTP_PORTS', 'ASPNETCORE_URLS', 'DOTNET_RUNNING_IN_CONTAINER', 'DOTNET_VERSION', 'ASPNET_VERSION', 'DOTNET_SDK_VERSION', 'DOTNET_GENERATE_ASPNET_CERTIFICATE', 'DOTNET_NOLOGO', 'DOTNET_USE_POLLING_FILE_WATCHER', 'NUGET_XMLDOC_MODE', 'POWERSHELL_DISTRIBUTION_CHANNEL'];
const IMAGE_ENV: Record<string, string[]> = {
  python: ['LANG', 'GPG_KEY', 'PYTHON_VERSION', 'PYTHON_SHA256', 'PYTHON_PIP_VERSION', 'PYTHON_SETUPTOOLS_VERSION', 'PYTHON_GET_PIP_URL', 'PYTHON_GET_PIP_SHA256'],
  node: ['NODE_VERSION', 'YARN_VERSION'],
  golang: ['GOLANG_VERSION', 'GOTOOLCHAIN', 'GOPATH'],
  ruby: ['LANG', 'RUBY_MAJOR', 'RUBY_VERSION', 'RUBY_DOWNLOAD_URL', 'RUBY_DOWNLOAD_SHA256', 'GEM_HOME', 'BUNDLE_SILENCE_ROOT_WARNING', 'BUNDLE_APP_CONFIG'],
  php: ['PHPIZE_DEPS', 'PHP_INI_DIR', 'APACHE_CONFDIR', 'APACHE_ENVVARS', 'PHP_CFLAGS', 'PHP_CPPFLAGS', 'PHP_LDFLAGS', 'GPG_KEYS', 'PHP_VERSION', 'PHP_URL', 'PHP_ASC_URL', 'PHP_SHA256'],
  rust: ['RUSTUP_HOME', 'CARGO_HOME', 'RUST_VERSION'],
  nginx: ['NGINX_VERSION', 'NJS_VERSION', 'NJS_RELEASE', 'PKG_RELEASE', 'DYNPKG_RELEASE'],
  httpd: ['HTTPD_PREFIX', 'HTTPD_VERSION', 'HTTPD_SHA256', 'HTTPD_PATCHES'],
  postgres: ['GOSU_VERSION', 'LANG', 'PG_MAJOR', 'PG_VERSION', 'PG_SHA256', 'PGDATA'],
  mysql: ['GOSU_VERSION', 'MYSQL_MAJOR', 'MYSQL_VERSION', 'MYSQL_SHELL_VERSION'],
  redis: ['REDIS_VERSION', 'REDIS_DOWNLOAD_URL', 'REDIS_DOWNLOAD_SHA'],
  openjdk: JAVA,
  'eclipse-temurin': JAVA,
  amazoncorretto: ['LANG', 'JAVA_HOME'],
  maven: [...JAVA, 'MAVEN_HOME', 'MAVEN_CONFIG'],
  gradle: [...JAVA, 'GRADLE_HOME', 'GRADLE_VERSION'],
  tomcat: [...JAVA, 'CATALINA_HOME', 'TOMCAT_NATIVE_LIBDIR', 'LD_LIBRARY_PATH', 'GPG_KEYS', 'TOMCAT_MAJOR', 'TOMCAT_VERSION', 'TOMCAT_SHA512'],
  'mcr.microsoft.com/dotnet/sdk': DOTNET,
  'mcr.microsoft.com/dotnet/aspnet': DOTNET,
  'mcr.microsoft.com/dotnet/runtime': DOTNET,
};

/** `docker.io/library/python:3.12@sha256:…` → `python`. */
export function imageRepository(image: string): string {
  let name = image.replace(/@.*$/, '');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  return name.toLowerCase().replace(/^(index\.)?docker\.io\//, '').replace(/^library\//, '');
}

/** Variables a stage starts with when built FROM an image (not a stage). */
export function imageEnv(image: string | undefined): Map<string, string | null> {
  const repo = image === undefined ? undefined : imageRepository(image);
  // BuildKit always sets PATH (its default on scratch, the image's own otherwise).
  const env = new Map<string, string | null>([['PATH', repo === 'scratch' ? DEFAULT_PATH : null]]);
  for (const name of (repo && IMAGE_ENV[repo]) || []) env.set(name, null);
  return env;
}

/** Windows images: variables are case-insensitive and PATH comes from the OS, so the checks stay out. */
export const isWindowsImage = (image: string | undefined) => image !== undefined && /windows|nanoserver|servercore/i.test(image);
