/* client.c: a program that uses only the installed library (exscope.h, libexscope.a,
 * exscope.pc), built by tests/install/run.sh after `make install` into a temporary root. */
#include <exscope.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    const char *src = "defmodule A do\n  def f(x), do: x\nend\n";
    exs_parse_options o = {.columns = true};
    exs_file *f; exs_error e;
    if (exs_parse(src, strlen(src), "a.ex", &o, &f, &e) != EXS_OK) { printf("%s\n", e.message); return 1; }
    char *out; size_t n;
    if (exs_file_write(f, EXS_FORMAT_ELIXIR, NULL, &out, &n) != EXS_OK) return 1;
    fputs(out, stdout);
    exs_free(out); exs_file_free(f);
    return 0;
}
