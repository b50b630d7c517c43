/* TEMPORARY placeholder so the binary links while the module is written in
 * parallel: the module owner deletes this file when the real one lands. */
#include "cmd.h"
#define PENDING(st) status_fail((st), STATUS_INTERNAL, "%s: not built yet", __func__)
const char cmd_compare_usage[] = "pending\\n"; int cmd_compare(int argc, char **argv, status *st){(void)argc;(void)argv;return PENDING(st);}
