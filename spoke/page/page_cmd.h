/*
 * The commands of inbound-spoke-page (spoke/page_main.c): the hospital's
 * own page with the agent, and the page's accounts. They live apart from
 * inbound-spoke's sending commands so that only this executable links the
 * web page's libraries (libmicrohttpd, liboath, libqrencode and what they
 * pull in); inbound-spoke serve and inbound-spoke user exec it
 * (spoke/cmd/page_exec.c).
 */
#ifndef SPOKE_PAGE_CMD_H
#define SPOKE_PAGE_CMD_H

/* spoke_cmd_serve: "inbound-spoke serve --http ADDR:PORT ..." (serve.c):
 * the agent and the hospital's page until SIGTERM; the exit status: 0
 * stopped, 1 could not start, 2 usage. */
int spoke_cmd_serve(int argc, char **argv);

/* spoke_cmd_user: "inbound-spoke user create|disable|reset|list ..."
 * (serve.c): the page's accounts; 0 done, 1 refused, 2 usage. */
int spoke_cmd_user(int argc, char **argv);

#endif /* SPOKE_PAGE_CMD_H */
