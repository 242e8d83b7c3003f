/*
 * Error codes shared by every component.  A fallible function returns an
 * ibx_err (IBX_OK is 0) and writes its results through its last
 * out-parameters only on success.  The detail of a foreign library's error
 * (nng_strerror, libpq's SQLSTATE, OpenSSL's error queue) is logged by the
 * module that wraps the library; callers see only these codes.
 */
#ifndef IBX_ERR_H
#define IBX_ERR_H

typedef enum ibx_err {
	IBX_OK = 0,
	IBX_ENOMEM,	/* out of memory */
	IBX_EINVAL,	/* input refused: a field breaks a rule */
	IBX_EMALFORMED, /* bytes that do not decode */
	IBX_EIO,	/* file or socket error; errno was logged */
	IBX_ETIMEDOUT,	/* no answer in time */
	IBX_ECLOSED,	/* the socket or server was closed */
	IBX_EDB,	/* database error, logged with its SQLSTATE */
	IBX_EDBDOWN,	/* database unreachable: retry later */
	IBX_ENOTFOUND,	/* no such row, file or key */
	IBX_ECRYPTO,	/* signature, certificate or key error */
	IBX_ETOOBIG,	/* over a size limit */
	IBX_EREFUSED,	/* the peer refused (an Ack that is not accepted) */
} ibx_err;

/*
 * ibx_strerror: a short, lowercase description of an error code.  The string
 * is static; never NULL.
 */
const char *ibx_strerror(ibx_err err);

#endif /* IBX_ERR_H */
