/* Prints its arguments and environment; with the argument --read-line it also reads one line of
 * stdin and echoes it. Exits with status 0. */
#include <stdio.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
    int read_line = 0;
    printf("hello from uniwasm\n");
    for (int i = 0; i < argc; i++) {
        printf("arg[%d]=%s\n", i, argv[i]);
        if (strcmp(argv[i], "--read-line") == 0) read_line = 1;
    }
    for (char **e = environ; *e; e++) printf("env %s\n", *e);
    if (read_line) {
        char line[256];
        if (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\n")] = '\0';
            printf("stdin: %s\n", line);
        } else {
            printf("stdin: <end of file>\n");
        }
    }
    fprintf(stderr, "hello on stderr\n");
    return 0;
}
