/* badabi.c - a plugin built for another ABI version (loader test) */
#include "gpgpack-plugin.h"

static const gpgpack_plugin_t badabi_plugin =
  { GPGPACK_PLUGIN_ABI_VERSION + 1, "badabi", "0", 0, NULL };

/* Answers whatever the host asks with a table of the wrong version.  */
const gpgpack_plugin_t *
gpgpack_plugin_entry (unsigned int abi)
{
  return &badabi_plugin;
}
