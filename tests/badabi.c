/* badabi.c - a plugin built for ABI version 1 (loader test) */
#include "gpgpack-plugin.h"

/* The table a module compiled against the version-1 header returns.  */
static const gpgpack_plugin_t badabi_plugin = { 1, "badabi", "0", 0, NULL };

/* Answers whatever the host asks with a table of ABI version 1.  */
const gpgpack_plugin_t *
gpgpack_plugin_entry (unsigned int abi)
{
  return &badabi_plugin;
}
