// Writes, reads back, creates a directory in, and lists a preopened
// directory given as argv[1] (its guest path). Prints what it saw; any
// failure is reported and gives exit status 1.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fail(const char *what, const char *path) {
  printf("FAIL %s %s: %s\n", what, path, strerror(errno));
  return 1;
}

static int compareNames(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

// Joins without doubling the slash, so the preopen may be "/" itself.
static void join(char *out, size_t size, const char *dir, const char *name) {
  size_t length = strlen(dir);
  snprintf(out, size, "%s%s%s", dir, length && dir[length - 1] == '/' ? "" : "/", name);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    printf("usage: files DIR\n");
    return 2;
  }
  const char *dir = argv[1];
  char path[512];

  join(path, sizeof path, dir, "greeting.txt");
  FILE *out = fopen(path, "w");
  if (!out)
    return fail("create", path);
  fprintf(out, "written by the guest\n");
  fclose(out);

  FILE *in = fopen(path, "r");
  if (!in)
    return fail("open", path);
  char line[128] = {0};
  if (!fgets(line, sizeof line, in))
    return fail("read", path);
  fclose(in);
  printf("read: %s", line);

  join(path, sizeof path, dir, "subdir");
  if (mkdir(path, 0755) != 0)
    return fail("mkdir", path);
  join(path, sizeof path, dir, "subdir/nested.txt");
  out = fopen(path, "w");
  if (!out)
    return fail("create", path);
  fputs("nested\n", out);
  fclose(out);

  join(path, sizeof path, dir, "host.txt");
  in = fopen(path, "r");
  if (!in)
    return fail("open", path);
  if (!fgets(line, sizeof line, in))
    return fail("read", path);
  fclose(in);
  printf("host file: %s", line);

  DIR *d = opendir(dir);
  if (!d)
    return fail("opendir", dir);
  char *names[64];
  int count = 0;
  struct dirent *entry;
  while ((entry = readdir(d)) && count < 64) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
      continue;
    names[count++] = strdup(entry->d_name);
  }
  closedir(d);
  qsort(names, (size_t)count, sizeof names[0], compareNames);
  for (int i = 0; i < count; ++i)
    printf("entry: %s\n", names[i]);
  return 0;
}
